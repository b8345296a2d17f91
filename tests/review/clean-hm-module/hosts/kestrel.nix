{ ... }:
{
  networking.hostName = "kestrel";
  home-manager.users.ines = import ../home/ines.nix;
  system.stateVersion = "24.11";
}
