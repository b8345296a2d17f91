{ ... }:
{
  networking.hostName = "desktop";
}
