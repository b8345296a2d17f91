{ nixpkgs, ... }:
{
  desk = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../desk.nix ];
  };
  pi = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    modules = [ ../pi.nix ];
  };
}
