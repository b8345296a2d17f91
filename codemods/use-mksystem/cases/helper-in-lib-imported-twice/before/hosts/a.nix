{ ... }:
{
  networking.domain = "a.example";
}
