# Router: two NICs, NAT for the LAN.
{
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  networking.nat = {
    enable = true;
    externalInterface = "enp1s0";
    internalInterfaces = [ "enp2s0" ];
  };
  system.stateVersion = "24.11";
}
