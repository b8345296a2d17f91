{ ... }:
{
  networking.hostName = "merlin";
  home-manager.users = {
    ines = import ../home/ines.nix;
    pablo = { imports = [ ../home/pablo.nix ]; };
  };
  system.stateVersion = "24.11";
}
