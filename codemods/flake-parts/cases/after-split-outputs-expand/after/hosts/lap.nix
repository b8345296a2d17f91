{ pkgs, ... }:
{
  networking.hostName = "lap";
  environment.systemPackages = [ pkgs.git ];
}
