{ nixpkgs, self, ... }:
{
  mirror = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../mirror/configuration.nix
      { nixpkgs.overlays = [ self.overlays.default ]; }
    ];
  };
}
