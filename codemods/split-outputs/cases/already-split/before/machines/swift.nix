# Framework 13 laptop.
{
  networking.hostName = "swift";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.fwupd.enable = true;
  users.users.grace.isNormalUser = true;
  system.stateVersion = "24.11";
}
