{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Free software only, for the packages we publish.
      freePkgs = system: import nixpkgs { inherit system; };
      # Everything, for the shells.
      unfreePkgs = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          packages = {
            default = (freePkgs system).hello;
          };

          devShells = {
            default = (unfreePkgs system).mkShell { };
          };
        };
    };
}
