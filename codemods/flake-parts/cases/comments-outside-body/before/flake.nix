{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
    in
    {
      devShells = forAllSystems (system: # one shell per system
        {
          default = nixpkgs.legacyPackages.${system}.mkShell { };
        });

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixpkgs-fmt); # as in CI

      packages = forAllSystems (system: {
        # Moves with the body.
        default = nixpkgs.legacyPackages.${system}.hello;
      });
    };
}
