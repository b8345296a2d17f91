{ ... }:
{
  networking.hostName = "one";
}
