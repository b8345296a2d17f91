{ pkgs, ... }:
{
  home.packages = [ pkgs.fd ];
}
