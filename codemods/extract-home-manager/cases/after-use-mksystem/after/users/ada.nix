{ hostname, ... }:
{
  home.stateVersion = "24.11";
  programs.git.enable = true;
}
