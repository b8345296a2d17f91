{ ... }:
{
  networking.hostName = "green";
}
