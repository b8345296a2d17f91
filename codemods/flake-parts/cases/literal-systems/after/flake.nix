{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, flake-parts }@inputs:
    let
      mkPackages = system: {
        default = nixpkgs.legacyPackages.${system}.htop;
      };
    in
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          # Spelled out: both machines are Linux.
          packages = mkPackages system;

          devShells.default = nixpkgs.legacyPackages.${system}.mkShell { };
        };
    };
}
