{ ... }:
{
  networking.hostName = "stork";
}
