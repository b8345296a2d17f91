{
  networking.firewall.enable = true;
  networking.firewall.allowedTCPPorts = [ 22 80 ;
}
