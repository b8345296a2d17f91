# The dev shell: the same tools on every system.
{ ... }:
{
  perSystem =
    { pkgs, system, ... }:
    {
      devShells = {
        default = pkgs.mkShell {
          # jq for poking at `nix eval --json`.
          packages = [ pkgs.git pkgs.jq ];
          shellHook = ''
            echo "hacking on ${system}"
          '';
        };
      };
    };
}
