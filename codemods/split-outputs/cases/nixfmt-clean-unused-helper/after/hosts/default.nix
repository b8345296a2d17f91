{ nixpkgs, ... }:
{
  ibis = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/ibis.nix ];
  };
}
