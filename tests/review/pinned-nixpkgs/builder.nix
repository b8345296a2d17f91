{ ... }:
{
  networking.hostName = "builder";
}
