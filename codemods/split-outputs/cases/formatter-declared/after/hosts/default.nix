{ nixpkgs, ... }:
{
  dove = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/dove.nix ];
  };
}
