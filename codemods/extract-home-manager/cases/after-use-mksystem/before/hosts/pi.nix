{ ... }:
{
  boot.loader.grub.device = "nodev";
  fileSystems."/".device = "/dev/disk/by-label/pi";
  system.stateVersion = "24.11";
}
