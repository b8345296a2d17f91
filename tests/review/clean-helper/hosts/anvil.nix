# anvil: hardware and disks.
{ ... }:
{
  fileSystems."/".device = "/dev/disk/by-label/anvil";
  boot.loader.systemd-boot.enable = true;
  system.stateVersion = "24.11";
}
