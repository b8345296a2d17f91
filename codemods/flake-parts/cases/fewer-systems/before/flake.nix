{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      linux = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
    in
    {
      devShells = forAllSystems (system: {
        default = nixpkgs.legacyPackages.${system}.mkShell { };
      });

      # Only the Linux boxes run the VM tests.
      checks = nixpkgs.lib.genAttrs linux (system: {
        vm = nixpkgs.legacyPackages.${system}.qemu;
      });
    };
}
