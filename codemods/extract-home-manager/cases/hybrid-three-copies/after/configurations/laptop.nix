{ ... }:
{
  networking.hostName = "laptop";
}
