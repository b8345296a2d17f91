{ ... }:
{
  networking.hostName = "crane";
}
