{ hostName, ... }:
{
  home.stateVersion = "24.11";
  programs.bash.sessionVariables.HOST = hostName;
}
