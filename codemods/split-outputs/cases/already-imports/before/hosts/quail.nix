# quail: desktop.
{
  networking.hostName = "quail";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  users.users.heidi.isNormalUser = true;
  system.stateVersion = "24.11";
}
