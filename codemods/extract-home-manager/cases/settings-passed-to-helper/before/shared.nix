{ ... }:
{
  programs.bash.enable = true;
}
