{ ... }:
{
  networking.hostName = "a";
}
