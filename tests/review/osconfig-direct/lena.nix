{ osConfig, ... }:
{
  home.stateVersion = "24.11";
  programs.bash.shellAliases.where = "echo ${osConfig.networking.hostName}";
}
