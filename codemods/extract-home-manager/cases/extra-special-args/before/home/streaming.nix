{ ... }:
{
  home.sessionVariables.PART = "streaming";
}
