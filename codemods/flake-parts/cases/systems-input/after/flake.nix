{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    systems.url = "github:nix-systems/default";
    flake-parts.url = "github:hercules-ci/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  };

  outputs = { self, nixpkgs, systems, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      # Whatever nix-systems lists.
      systems = import systems;

      perSystem =
        { system, ... }:
        {
          packages = {
            default = nixpkgs.legacyPackages.${system}.ripgrep;
          };

          devShells = {
            default = nixpkgs.legacyPackages.${system}.mkShell { packages = [ self.packages.${system}.default ]; };
          };
        };
    };
}
