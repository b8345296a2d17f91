# Render node alpha.
{ pkgs, ... }:
{
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  environment.systemPackages = [ pkgs.blender ];
  system.stateVersion = "24.11";
}
