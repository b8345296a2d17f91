# Kiosk "lark" at the library entrance.
{ pkgs, ... }:
{
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  users.users.kiosk.isNormalUser = true;
  services.cage = {
    user = "kiosk";
    program = "${pkgs.firefox}/bin/firefox --kiosk https://catalogue.example.org";
  };
  system.stateVersion = "24.11";
}
