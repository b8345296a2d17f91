# osprey: Ampere VPS, mostly idle.
{
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  networking.firewall.allowedTCPPorts = [
    80
    443
  ];
}
