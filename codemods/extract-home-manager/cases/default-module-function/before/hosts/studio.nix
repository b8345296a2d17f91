{ ... }:
{
  boot.loader.grub.device = "nodev";
  fileSystems."/".device = "/dev/disk/by-label/studio";
  system.stateVersion = "24.11";
}
