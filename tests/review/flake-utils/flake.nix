{
  description = "PDF tools, packaged per system with flake-utils";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    {
      overlays.default = final: prev: {
        pdf-tools = final.callPackage ./pkgs/pdf-tools.nix { };
      };
      packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
    }
    // flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = nixpkgs.legacyPackages.${system};
      in
      {
        devShells.default = pkgs.mkShell { packages = [ pkgs.qpdf ]; };
      });
}
