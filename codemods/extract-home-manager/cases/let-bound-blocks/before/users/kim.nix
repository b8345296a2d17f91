{ ... }:
{
  home.stateVersion = "24.11";
  programs.fish.enable = true;
}
