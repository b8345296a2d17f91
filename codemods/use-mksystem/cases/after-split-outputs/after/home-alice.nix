# alice's profile, used both inside the NixOS hosts and standalone.
{ config, lib, pkgs, ... }:
{
  imports = [ ./home-modules ];

  home.username = "alice";
  home.homeDirectory = "/home/alice";
  home.stateVersion = "24.11";

  home.packages = with pkgs; [ ripgrep fd jq htop ];

  programs.git = {
    enable = true;
    userName = "Alice Moreau";
    userEmail = "alice@example.org";
    extraConfig.init.defaultBranch = "main";
  };

  programs.home-manager.enable = true;
}
