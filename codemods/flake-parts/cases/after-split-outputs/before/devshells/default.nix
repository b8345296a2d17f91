# The dev shell: the same tools on every system.
{ forAllSystems, pkgsFor, ... }:
forAllSystems (system:
  let
    pkgs = pkgsFor system;
  in
  {
    default = pkgs.mkShell {
      # jq for poking at `nix eval --json`.
      packages = [ pkgs.git pkgs.jq ];
      shellHook = ''
        echo "hacking on ${system}"
      '';
    };
  })
