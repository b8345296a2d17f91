# Lea's profile. The prompt shows the host name when there is a NixOS host.
{ osConfig ? null, ... }:
{
  programs.bash.enable = true;
  home.sessionVariables.HOST_LABEL = if osConfig == null then "standalone" else osConfig.networking.hostName;
}
