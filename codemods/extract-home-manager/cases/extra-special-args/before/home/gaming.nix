{ ... }:
{
  home.sessionVariables.PART = "gaming";
}
