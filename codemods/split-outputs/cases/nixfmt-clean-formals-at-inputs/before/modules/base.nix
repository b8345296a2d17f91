# Settings shared by every server.
{ lib, ... }:
{
  nix.settings.experimental-features = [
    "nix-command"
    "flakes"
  ];
  time.timeZone = "UTC";
  documentation.nixos.enable = false;
  system.stateVersion = lib.mkDefault "24.11";
}
