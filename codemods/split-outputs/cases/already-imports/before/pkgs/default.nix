# Local packages.
{ pkgs }:
{
  greet = pkgs.writeShellScriptBin "greet" ''
    echo "hello, $USER"
  '';
}
