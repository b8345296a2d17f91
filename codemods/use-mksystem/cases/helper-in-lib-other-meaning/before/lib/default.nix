{ nixpkgs }:
let
  mkSystem = { hostname }:
    nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ../hosts/${hostname}.nix
        ../modules
      ];
    };
in
{
  inherit mkSystem;
}
