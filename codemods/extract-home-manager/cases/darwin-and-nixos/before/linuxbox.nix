{ ... }:
{
  networking.hostName = "linuxbox";
}
