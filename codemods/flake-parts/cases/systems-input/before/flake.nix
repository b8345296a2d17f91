{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    systems.url = "github:nix-systems/default";
  };

  outputs = { self, nixpkgs, systems, ... }:
    let
      # Whatever nix-systems lists.
      eachSystem = nixpkgs.lib.genAttrs (import systems);
    in
    {
      packages = eachSystem (system: {
        default = nixpkgs.legacyPackages.${system}.ripgrep;
      });
      devShells = eachSystem (system: {
        default = nixpkgs.legacyPackages.${system}.mkShell { packages = [ self.packages.${system}.default ]; };
      });
    };
}
