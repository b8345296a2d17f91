{
  genAttrs,
  lib,
  nixpkgs,
  systems,
  ...
}:
genAttrs systems (system: {
  default = nixpkgs.legacyPackages.${system}.callPackage ../package.nix {
    src = lib.cleanSource ../.;
  };
})
