# System modules shared by every host.
{ lib, pkgs, ... }:
{
  imports = [
    ./desktop/sway.nix
    ./services/tailscale.nix
  ];

  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    auto-optimise-store = true;
  };

  time.timeZone = lib.mkDefault "Europe/Berlin";
  i18n.defaultLocale = "en_US.UTF-8";

  users.users.alice = {
    isNormalUser = true;
    extraGroups = [ "wheel" "video" ];
    shell = pkgs.bashInteractive;
  };
}
