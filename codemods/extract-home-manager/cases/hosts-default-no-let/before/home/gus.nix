{ ... }:
{
  home.username = "gus";
  home.stateVersion = "24.11";
}
