{ pkgs }:
{
  default = pkgs.mkShell { packages = [ pkgs.git ]; };
}
