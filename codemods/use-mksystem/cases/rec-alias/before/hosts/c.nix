{ ... }:
{
  networking.hostName = "c";
}
