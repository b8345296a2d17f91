{ nixpkgs, ... }:
let
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
in
{
  x86_64-linux.banner = pkgs.writeText "banner" ''Gate host
          managed by Nix, do not edit
        '';
}
