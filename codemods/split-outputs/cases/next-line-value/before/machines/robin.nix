{ ... }:
{
  networking.hostName = "robin";
}
