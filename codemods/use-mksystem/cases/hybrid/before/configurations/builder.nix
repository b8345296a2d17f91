# Remote build machine. networking.hostName comes from mkSystem.
{ config, lib, pkgs, ... }:
{
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "btrfs";
    options = [ "compress=zstd" "noatime" ];
  };

  # The laptop and the VPS build here over ssh.
  nix.settings.trusted-users = [ "root" "alice" "ops" ];
  nix.gc = {
    automatic = true;
    dates = "weekly";
    options = "--delete-older-than 30d";
  };

  users.users.ops = {
    isNormalUser = true;
    description = "build and deploy account";
  };

  services.openssh.enable = true;
  system.stateVersion = "24.11";
}
