{ ... }:
{
  home.sessionVariables.PROFILE = "games";
}
