{ nixpkgs, system, ... }:
let
  # The flake's own package set; only the dev shell uses it.
  pkgs = nixpkgs.legacyPackages.${system};
in
{
  x86_64-linux.default = pkgs.mkShell {
    packages = with pkgs; [
      nixos-rebuild
      qemu
    ];
  };
}
