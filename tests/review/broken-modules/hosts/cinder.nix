{
  imports = [
    ../modules/net.nix
    ../modules/old-vpn.nix
  ];
  networking.hostName = "cinder";
}
