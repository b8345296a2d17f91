{
  genAttrs,
  nixpkgs,
  systems,
  ...
}:
let
  # Only the dev shells need this.
  mkShellFor =
    system:
    let
      pkgs = nixpkgs.legacyPackages.${system};
    in
    pkgs.mkShell {
      packages = [
        pkgs.go
        pkgs.gopls
        pkgs.golangci-lint
      ];
    };
in
genAttrs systems (system: {
  default = mkShellFor system;
})
