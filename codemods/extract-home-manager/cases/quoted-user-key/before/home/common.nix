{ ... }:
{
  home.sessionVariables.PROFILE = "common";
}
