# Lobby kiosk hardware and session.
{
  networking.hostName = "kiosk";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  users.users.guest.isNormalUser = true;
  services.cage = {
    enable = true;
    user = "guest";
  };
  system.stateVersion = "24.11";
}
