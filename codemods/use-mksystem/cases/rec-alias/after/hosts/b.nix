{ ... }:
{
  networking.hostName = "b";
}
