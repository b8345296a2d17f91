{ pkgs, ... }:
{
  imports = [ ./git.nix ];
  home.stateVersion = "24.11";
  home.packages = [ pkgs.ripgrep ];
}
