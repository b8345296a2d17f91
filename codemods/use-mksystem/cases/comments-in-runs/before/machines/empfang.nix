# Empfang: browser kiosk for the visitor sign-in page.
{
  networking.hostName = "empfang";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  users.users.gast.isNormalUser = true; # Gastkonto
  services.cage = {
    enable = true;
    user = "gast";
  };
  system.stateVersion = "24.11";
}
