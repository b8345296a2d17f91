# The mirror VM: nginx in front of /srv/mirror, synced hourly.
{ pkgs, ... }:
{
  networking.hostName = "mirror";
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/".device = "/dev/vda1";

  services.nginx = {
    enable = true;
    virtualHosts."mirror.example.org".root = "/srv/mirror";
  };

  systemd.services.mirror-sync = {
    startAt = "hourly";
    serviceConfig.ExecStart = "${pkgs.mirror-sync}/bin/mirror-sync";
  };

  system.stateVersion = "24.11";
}
