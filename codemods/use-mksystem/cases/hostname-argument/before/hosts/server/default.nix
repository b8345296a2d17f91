{ ... }:
{
  networking.hostName = "server";
}
