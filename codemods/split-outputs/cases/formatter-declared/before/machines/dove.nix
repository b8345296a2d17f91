{ ... }:
{
  networking.hostName = "dove";
}
