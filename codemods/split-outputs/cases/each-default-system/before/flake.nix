{
  description = "Tools for the print shop, one package set per system";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils, ... }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs {
          inherit system;
          config.allowUnfree = true;
        };
      in
      {
        # The label printer's driver wrapper.
        packages.labels = pkgs.callPackage ./pkgs/labels.nix { };
        packages.default = self.packages.${system}.labels;

        devShells.default = pkgs.mkShell {
          packages = [ pkgs.cups pkgs.ghostscript ];
        };

        formatter = pkgs.nixpkgs-fmt;
      });
}
