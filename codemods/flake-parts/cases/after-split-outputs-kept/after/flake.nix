{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
      forEachSystem = f: forAllSystems (s: f nixpkgs.legacyPackages.${s});
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          formatter = nixpkgs.legacyPackages.${system}.nixpkgs-fmt;
        };

      flake.devShells = import ./devshells { inherit forAllSystems nixpkgs; };

      flake.packages = import ./packages { inherit forAllSystems nixpkgs; };

      flake.checks = import ./checks { inherit forAllSystems nixpkgs; };

      flake.apps = import ./apps { inherit forEachSystem; };
    };
}
