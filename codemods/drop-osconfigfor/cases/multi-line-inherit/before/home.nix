{
  lib,
  osConfig ? null,
  ...
}:
{
  home.username = "ann";
  programs.bash.shellAliases.where =
    if osConfig != null then "echo ${osConfig.networking.hostName}" else "hostname";
}
