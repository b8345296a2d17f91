{ ... }:
{
  networking.hostName = "workstation";
}
