{ ... }:
{
  programs.steam.enable = true;
}
