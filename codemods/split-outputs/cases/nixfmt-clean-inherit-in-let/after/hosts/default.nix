{ lib, self, ... }:
{
  status = lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../server/configuration.nix
      { nixpkgs.overlays = [ (final: prev: { status-page = self.packages.x86_64-linux.default; }) ]; }
    ];
  };
}
