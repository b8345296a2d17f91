# Shared by every app server (and by the app's own NixOS test).
{ pkgs, ... }:
{
  services.openssh.enable = true;
  environment.systemPackages = [ pkgs.curl pkgs.jq ];
  nix.settings.experimental-features = [ "nix-command" "flakes" ];
}
