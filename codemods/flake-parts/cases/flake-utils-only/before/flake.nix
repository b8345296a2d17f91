{
  description = "A tool and its shell";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachSystem [ "x86_64-linux" "aarch64-darwin" ] (sys:
      let
        pkgs = nixpkgs.legacyPackages.${sys};
      in
      {
        packages.default = pkgs.writeShellScriptBin "tool" "echo ${sys}";
        devShells.default = pkgs.mkShell { inputsFrom = [ self.packages.${sys}.default ]; };
      });
}
