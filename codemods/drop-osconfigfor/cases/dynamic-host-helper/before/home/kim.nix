{ hostName, nixosConfig ? null, ... }:
{
  home.username = "kim";
  home.sessionVariables.DISPLAY_SCALE =
    if nixosConfig != null && nixosConfig.services.xserver.enable then "2" else "1";
  programs.git.extraConfig.user.signingkey = "kim@${hostName}";
}
