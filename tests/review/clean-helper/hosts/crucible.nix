# crucible: hardware and disks.
{ ... }:
{
  fileSystems."/".device = "/dev/disk/by-label/crucible";
  boot.loader.systemd-boot.enable = true;
  system.stateVersion = "24.11";
}
