{ ... }:
{
  boot.loader.grub.device = "nodev";
  fileSystems."/".device = "/dev/disk/by-label/media";
  system.stateVersion = "24.11";
}
