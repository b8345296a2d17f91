# Home Assistant on the Pi in the hallway cupboard.
{ pkgs, ... }:
{
  networking.hostName = "pi";
  fileSystems."/" = {
    device = "/dev/disk/by-label/NIXOS_SD";
    fsType = "ext4";
  };
  services.home-assistant = {
    enable = true;
    extraComponents = [
      "met"
      "esphome"
    ];
    config.default_config = { };
  };
  networking.firewall.allowedTCPPorts = [ 8123 ];
  system.stateVersion = "24.11";
}
