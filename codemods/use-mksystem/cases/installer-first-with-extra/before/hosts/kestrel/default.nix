{ hostname, ... }:
{
  networking.hostName = hostname;
}
