{ ... }:
{
  networking.hostName = "ibis";
}
