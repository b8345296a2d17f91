{ ... }:
{
  networking.hostName = "box";
}
