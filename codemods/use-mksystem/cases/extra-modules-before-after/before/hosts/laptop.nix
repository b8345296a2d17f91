{ ... }:
{
  networking.domain = "laptop.example";
}
