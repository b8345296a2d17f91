{ ... }:
{
  networking.domain = "tower.example";
}
