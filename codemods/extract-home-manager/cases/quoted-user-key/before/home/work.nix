{ ... }:
{
  home.sessionVariables.PROFILE = "work";
}
