{ ... }:
{
  home.stateVersion = "24.11";
  home.homeDirectory = "/Users/kim";
}
