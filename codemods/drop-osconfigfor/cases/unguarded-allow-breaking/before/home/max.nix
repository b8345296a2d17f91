{ osConfig, theme, ... }@args:
{
  home.username = "max";
  programs.kitty.settings.background = if theme == "dark" then "#000000" else "#ffffff";
  programs.kitty.settings.title = args.osConfig.networking.hostName;
}
