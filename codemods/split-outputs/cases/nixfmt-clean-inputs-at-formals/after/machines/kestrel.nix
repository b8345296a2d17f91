# ThinkPad X1 Carbon (gen 9)
{ pkgs, ... }:
{
  networking.hostName = "kestrel";
  networking.networkmanager.enable = true;
  boot.loader.systemd-boot.enable = true;
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.fwupd.enable = true;
  users.users.carol = {
    isNormalUser = true;
    extraGroups = [
      "wheel"
      "networkmanager"
    ];
  };
  system.stateVersion = "24.11";
}
