# Desktop with the big monitor.
{ pkgs, ... }:
{
  networking.hostName = "heron";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.xserver.videoDrivers = [ "amdgpu" ];
  environment.systemPackages = [ pkgs.firefox ];
  system.stateVersion = "24.11";
}
