# perch
{ flakeRoot, ... }:
{
  imports = [ ./hardware.nix ];
  services.openssh.enable = true;
  # Shown by the login banner.
  environment.etc."flake-root".text = toString flakeRoot;
  system.stateVersion = "24.11";
}
