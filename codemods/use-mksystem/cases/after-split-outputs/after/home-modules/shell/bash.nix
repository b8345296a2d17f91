# Bash with a prompt that shows which machine we are on. Works with and
# without a NixOS host underneath (osConfig is null on the Mac).
{ config, lib, pkgs, osConfig ? null, ... }:
let
  host =
    if osConfig != null then osConfig.networking.hostName else "mac";
in
{
  programs.bash = {
    enable = true;
    historyControl = [ "ignoredups" "erasedups" ];
    shellAliases = {
      ll = "ls -lh";
      gs = "git status -sb";
    };
    initExtra = ''
      PS1='\[\e[1;32m\]\u@${host}\[\e[0m\]:\w\$ '
    '';
  };

  programs.starship.enable = lib.mkDefault false;
}
