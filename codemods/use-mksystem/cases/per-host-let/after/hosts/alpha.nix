{ ... }:
{
  networking.domain = "alpha.example";
}
