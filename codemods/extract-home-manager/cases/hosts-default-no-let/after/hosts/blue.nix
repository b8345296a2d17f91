{ ... }:
{
  networking.hostName = "blue";
}
