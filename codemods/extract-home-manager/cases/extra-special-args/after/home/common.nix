{ ... }:
{
  home.sessionVariables.PART = "common";
}
