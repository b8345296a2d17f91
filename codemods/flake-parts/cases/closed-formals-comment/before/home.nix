{ ... }:
{
  home.stateVersion = "24.11";
}
