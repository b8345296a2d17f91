# wren: x86 VPS running the git mirror.
{
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/".device = "/dev/vda1";
  services.gitea.enable = true;
}
