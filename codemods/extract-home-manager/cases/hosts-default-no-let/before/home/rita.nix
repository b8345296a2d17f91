{ ... }:
{
  home.username = "rita";
  home.stateVersion = "24.11";
}
