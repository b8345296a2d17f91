{ ... }:
{
  networking.hostName = "mbp";
}
