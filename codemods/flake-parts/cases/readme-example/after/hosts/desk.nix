{ ... }:
{
  networking.hostName = "desk";
}
