{ inputs }:
# `toString` here may come from this set.
with inputs.self;
let
  mkSystem = { hostname }:
    inputs.nixpkgs.lib.nixosSystem {
      system = toString "x86_64-linux";
      modules = [
        ../hosts/${hostname}.nix
        ../modules
      ];
    };
in
{
  inherit mkSystem;
}
