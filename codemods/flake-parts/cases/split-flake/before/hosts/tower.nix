{ ... }:
{
  networking.hostName = "tower";
}
