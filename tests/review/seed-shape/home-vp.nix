{ lib, osConfig ? null, ... }:
{
  home.username = "vp";
  home.sessionVariables.HOST = lib.mkIf (osConfig != null) osConfig.networking.hostName;
}
