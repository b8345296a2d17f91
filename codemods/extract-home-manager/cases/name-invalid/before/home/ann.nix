{ ... }:
{
  home.username = "ann";
  home.stateVersion = "24.11";
}
