{ osConfig ? null, ... }:
{
  home.username = "ops";
  home.sessionVariables.ROLE = if osConfig == null then "laptop" else "server";
}
