{ ... }:
{
  home.username = "bo";
  home.stateVersion = "24.11";
}
