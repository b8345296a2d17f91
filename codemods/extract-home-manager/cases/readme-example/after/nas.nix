{ ... }:
{
  networking.hostName = "nas";
}
