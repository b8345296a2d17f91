{ ... }:
{
  networking.domain = "box.example";
}
