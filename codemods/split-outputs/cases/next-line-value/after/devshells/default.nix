{ nixpkgs, ... }:
{
  x86_64-linux.default =
    nixpkgs.legacyPackages.x86_64-linux.mkShell {
      packages = [ ];
    };
  aarch64-linux.default =
    nixpkgs.legacyPackages.aarch64-linux.mkShell {
      packages = [ ];
    };
}
