{ ... }:
{
  networking.hostName = "cloud";
}
