{ pkgs, ... }:
{
  home.username = "judy";
  home.homeDirectory = "/home/judy";
  home.stateVersion = "24.11";
  programs.firefox.enable = true;
}
