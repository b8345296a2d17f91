{ pkgs, ... }:
{
  networking.hostName = "atlas";
  home-manager = {
    useGlobalPkgs = true;
    useUserPackages = true;
    users.yusuf = import ../home/yusuf.nix;
  };
}
