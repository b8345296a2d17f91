{ ... }:
{
  networking.hostName = "red";
}
