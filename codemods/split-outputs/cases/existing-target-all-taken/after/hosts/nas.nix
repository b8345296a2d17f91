# NAS: ZFS mirror, shared over NFS.
{
  boot.loader.systemd-boot.enable = true;
  boot.supportedFilesystems = [ "zfs" ];
  networking.hostId = "8425e349";
  fileSystems."/".device = "/dev/disk/by-label/nixos";
  services.nfs.server = {
    enable = true;
    exports = "/tank 192.168.1.0/24(rw,no_subtree_check)";
  };
  system.stateVersion = "24.11";
}
