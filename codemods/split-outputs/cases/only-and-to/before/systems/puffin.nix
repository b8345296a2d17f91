# puffin: ThinkPad T14
{ pkgs, ... }:
{
  networking.hostName = "puffin";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.xserver.desktopManager.gnome.enable = true;
  users.users.judy.isNormalUser = true;
  system.stateVersion = "24.11";
}
