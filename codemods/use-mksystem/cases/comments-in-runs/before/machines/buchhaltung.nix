# Buchhaltung: accounting desktop.
{ pkgs, ... }:
{
  networking.hostName = "buchhaltung";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.xserver.desktopManager.xfce.enable = true;
  environment.systemPackages = [ pkgs.libreoffice ];
  system.stateVersion = "24.11";
}
