{ ... }:
{
  networking.hostName = "mini";
}
