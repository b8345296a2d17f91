# The VPS that serves status.example.com.
{ pkgs, ... }:
{
  networking.hostName = "status";
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/".device = "/dev/vda1";

  systemd.services.status-page = {
    wantedBy = [ "multi-user.target" ];
    serviceConfig = {
      ExecStart = "${pkgs.status-page}/bin/status-page -listen :8080";
      DynamicUser = true;
    };
  };

  services.caddy = {
    enable = true;
    virtualHosts."status.example.com".extraConfig = "reverse_proxy localhost:8080";
  };

  system.stateVersion = "24.11";
}
