{ nixpkgs, ... }:
let
  lib = nixpkgs.lib;
  hostFiles = builtins.attrNames (builtins.readDir ../hosts);
in
lib.genAttrs (map (lib.removeSuffix ".nix") hostFiles) (
  name:
  lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../hosts/${name}.nix ];
  }
)
