{ osConfig ? null, ... }:
{
  home.username = "lee";
  xdg.configFile."host".text = if osConfig == null then "none" else osConfig.networking.hostName;
}
