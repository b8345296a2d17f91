{ ... }:
{
  programs.git.enable = true;
}
