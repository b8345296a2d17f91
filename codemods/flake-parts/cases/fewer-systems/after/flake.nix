{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      linux = [ "x86_64-linux" "aarch64-linux" ];
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];

      perSystem =
        { system, ... }:
        {
          devShells = {
            default = nixpkgs.legacyPackages.${system}.mkShell { };
          };
        };

      # Only the Linux boxes run the VM tests.
      flake.checks = nixpkgs.lib.genAttrs linux (system: {
        vm = nixpkgs.legacyPackages.${system}.qemu;
      });
    };
}
