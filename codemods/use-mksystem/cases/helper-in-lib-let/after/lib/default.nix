{ inputs }:
let
  mkSystem = {
    hostname,
    extraModules ? [ ],
  }:
    inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ../hosts/${hostname}.nix
        ../modules
      ] ++ extraModules;
    };
in
{
  inherit mkSystem;
}
