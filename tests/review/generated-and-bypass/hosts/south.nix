{ ... }:
{
  system.stateVersion = "24.11";
}
