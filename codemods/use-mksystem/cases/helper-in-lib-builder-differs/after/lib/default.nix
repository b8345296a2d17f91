{ inputs }:
let
  mkSystem = {
    hostname,
    builder ? inputs.nixpkgs.lib.nixosSystem,
    extraModules ? [ ],
  }:
    builder {
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
