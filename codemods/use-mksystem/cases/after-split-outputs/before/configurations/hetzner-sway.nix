# Hetzner Cloud VPS with a headless Sway session (wayvnc over Tailscale).
{ config, lib, pkgs, ... }:
{
  networking.hostName = "hetzner-sway";

  boot.loader.grub = {
    enable = true;
    device = "/dev/sda";
  };
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  desktop.sway = {
    enable = true;
    headless = true;
  };

  # wayvnc listens on 5900; tailscale0 is a trusted interface
  # (modules/services/tailscale.nix), so no firewall hole is needed.
  environment.systemPackages = with pkgs; [ wayvnc htop ];

  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
