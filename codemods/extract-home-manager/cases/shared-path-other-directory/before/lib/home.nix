{ ... }:
{
  home.stateVersion = "24.05";
}
