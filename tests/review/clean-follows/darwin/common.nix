{ pkgs, ... }:
{
  services.nix-daemon.enable = true;
  environment.systemPackages = [ pkgs.coreutils ];
  system.stateVersion = 5;
}
