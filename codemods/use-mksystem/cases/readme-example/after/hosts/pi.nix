{ ... }:
{
  networking.domain = "pi.example";
}
