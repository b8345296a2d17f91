{ ... }:
{
  boot.loader.grub.device = "nodev";
  fileSystems."/".device = "/dev/disk/by-label/workstation";
  system.stateVersion = "24.11";
}
