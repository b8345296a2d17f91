{ ... }:
{
  home.sessionVariables.PART = "battery";
}
