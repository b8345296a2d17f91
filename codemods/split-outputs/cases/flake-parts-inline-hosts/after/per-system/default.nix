{ inputs, ... }:
{
  perSystem = { pkgs, ... }: {
    devShells.default = pkgs.mkShell { packages = [ pkgs.nixos-rebuild ]; };
  };
}
