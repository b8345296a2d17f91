# Lea's profile. The prompt shows the host name, which only the NixOS side knows.
{ osConfig, ... }:
{
  programs.bash.enable = true;
  home.sessionVariables.HOST_LABEL = osConfig.networking.hostName;
}
