{ ... }:
{
  services.nix-daemon.enable = true;
}
