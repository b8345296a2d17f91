{ pkgs, ... }:
{
  home.packages = [ pkgs.ripgrep ];
}
