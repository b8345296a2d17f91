{ theme, ... }:
{
  home.sessionVariables.THEME = theme;
}
