{ ... }:
{
  networking.hostName = "work";
}
