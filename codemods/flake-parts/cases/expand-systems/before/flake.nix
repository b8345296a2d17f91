{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-darwin" ];
    in
    {
      devShells = forAllSystems (system: {
        default = nixpkgs.legacyPackages.${system}.mkShell { };
      });
      packages = nixpkgs.lib.genAttrs [ "x86_64-linux" ] (system: {
        default = nixpkgs.legacyPackages.${system}.hello;
      });
    };
}
