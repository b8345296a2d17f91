{ ... }:
{
  networking.hostName = "lab";
}
