{ pkgs }:
pkgs.mkShell {
  packages = [ pkgs.nixpkgs-fmt pkgs.git ];
}
