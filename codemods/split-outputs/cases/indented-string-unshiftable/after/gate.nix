# SSH bastion.
{
  networking.hostName = "gate";
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/".device = "/dev/vda1";
  services.openssh = {
    enable = true;
    settings.PasswordAuthentication = false;
  };
  system.stateVersion = "24.11";
}
