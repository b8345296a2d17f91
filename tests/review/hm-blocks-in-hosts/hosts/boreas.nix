{
  networking.hostName = "boreas";
  home-manager.useGlobalPkgs = true;
  home-manager.backupFileExtension = "bak";
  home-manager.users.yusuf.imports = [ ../home/yusuf.nix ];
}
