{ nixpkgs, system, ... }:
let
  lib = nixpkgs.lib;
  /* only the hosts use this */ mkHost = name: lib.nixosSystem {
    inherit system;
    modules = [ ../hosts-config/${name}.nix ];
  };
in
{
  plover = mkHost "plover";
}
