{ ... }:
{
  networking.hostName = "home";
}
