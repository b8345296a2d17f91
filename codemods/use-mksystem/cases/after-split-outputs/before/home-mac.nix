# alice on the work Mac (standalone Home Manager, no NixOS underneath).
# Imports the bash module only: the neovim module needs osConfig.
{ config, pkgs, pkgs-unstable, ... }:
{
  imports = [ ./home-modules/shell/bash.nix ];

  home.username = "alice";
  home.homeDirectory = "/Users/alice";
  home.stateVersion = "24.11";

  home.packages = [
    pkgs.coreutils
    pkgs-unstable.neovim
  ];

  programs.home-manager.enable = true;
}
