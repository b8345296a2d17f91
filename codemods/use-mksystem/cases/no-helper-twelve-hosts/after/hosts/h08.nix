{ ... }:
{
  networking.domain = "h08.example";
}
