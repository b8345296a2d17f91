# The `ops` service account on the builder: shell and editor, nothing else.
{ pkgs, ... }:
{
  imports = [ ./home-modules ];

  home.username = "ops";
  home.homeDirectory = "/home/ops";
  home.stateVersion = "24.11";

  home.packages = [ pkgs.rsync pkgs.tmux ];
}
