{ ... }:
{
  networking.domain = "desk.example";
}
