{ ... }:
{
  networking.domain = "h10.example";
}
