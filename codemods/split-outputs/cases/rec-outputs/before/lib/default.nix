# Helpers for the farm. `mkHost` builds one render node.
{ nixpkgs }:
{
  mkHost = { name, system ? "x86_64-linux", extraModules ? [ ] }:
    nixpkgs.lib.nixosSystem {
      inherit system;
      modules = [
        ../machines/${name}.nix
        { networking.hostName = name; }
      ] ++ extraModules;
    };
}
