{ ... }:
{
  home.username = "bob";
  home.stateVersion = "24.11";
}
