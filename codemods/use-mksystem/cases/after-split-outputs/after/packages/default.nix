{ pkgsFor, self, ... }:
let
  # Hand-written per-system package sets (see `packages` below).
  mkPackagesFor = system:
    let
      pkgs = pkgsFor system;
    in
    {
      # Tiny wrapper so `nix run .#hello-wrapper` works on every box;
      # mostly a smoke test for the binary cache.
      hello-wrapper = pkgs.writeShellScriptBin "hello-wrapper" ''
        echo "hello from ${system}"
        exec ${pkgs.hello}/bin/hello "$@"
      '';

      # `rebuild [host]` — defaults to the current hostname.
      rebuild = pkgs.writeShellScriptBin "rebuild" ''
        set -euo pipefail
        host="''${1:-$(hostname -s)}"
        echo "rebuilding $host from ${self.shortRev or "dirty tree"}"
        exec nixos-rebuild switch --flake "${self}#$host" --use-remote-sudo
      '';

      default = pkgs.symlinkJoin {
        name = "alice-tools";
        paths = [
          (pkgs.writeShellScriptBin "flake-age" ''
            echo "last modified: ${toString (self.lastModified or 0)}"
          '')
        ];
      };
    };
in
{
  x86_64-linux = mkPackagesFor "x86_64-linux";
  aarch64-linux = mkPackagesFor "aarch64-linux";
}
