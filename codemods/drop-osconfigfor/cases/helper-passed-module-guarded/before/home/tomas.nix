{ lib, osConfig ? null, ... }:
{
  programs.git.enable = true;
  home.sessionVariables = lib.mkIf (osConfig != null) {
    HOST_LABEL = osConfig.networking.hostName;
  };
}
