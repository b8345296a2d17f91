{ pkgs, ... }:
{
  time.timeZone = "Europe/Berlin";
  environment.systemPackages = [ pkgs.git ];
}
