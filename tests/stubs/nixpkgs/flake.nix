# A stub of nixpkgs for flake-refactor's `--verify` tests. It is not nixpkgs:
# it has just enough of `lib`, `legacyPackages` and `lib.nixosSystem` for the
# test flakes, and every result is a derivation whose drvPath depends on
# everything it was given (see lib.nix). Nothing here is ever built.
{
  description = "flake-refactor test stub of nixpkgs";

  outputs = { self }:
    let
      lib = import ./lib.nix;
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs lib.systems.flakeExposed (system: import ./default.nix { inherit system; });
      nixosModules.notDetected = ./nixos/modules/installer/scan/not-detected.nix;
    };
}
