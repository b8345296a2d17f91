{ pkgs, ... }:
{
  home.username = "heidi";
  home.homeDirectory = "/home/heidi";
  home.stateVersion = "24.11";
  home.packages = [ pkgs.htop ];
}
