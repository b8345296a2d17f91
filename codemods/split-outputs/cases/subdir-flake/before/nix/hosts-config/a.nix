# App server "a".
{
  networking.hostName = "app-a";
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/".device = "/dev/vda1";
  networking.firewall.allowedTCPPorts = [ 443 ];
  system.stateVersion = "24.11";
}
