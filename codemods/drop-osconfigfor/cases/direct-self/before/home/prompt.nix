{ osConfig ? null, ... }:
{
  programs.bash.sessionVariables.HOST_LABEL = osConfig.networking.hostName or "standalone";
}
