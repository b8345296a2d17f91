{ nixpkgs, ... }:
{
  # The only host.
  robin = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/robin.nix ];
  };
}
