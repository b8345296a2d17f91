{ ... }:
{
  networking.hostName = "macbook";
}
