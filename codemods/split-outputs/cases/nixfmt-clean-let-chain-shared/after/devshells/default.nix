{ forAllSystems, pkgsFor, ... }:
forAllSystems (
  system:
  let
    pkgs = pkgsFor system;
  in
  {
    default = pkgs.mkShell {
      packages = [
        pkgs.shellcheck
        pkgs.shfmt
      ];
    };
  }
)
