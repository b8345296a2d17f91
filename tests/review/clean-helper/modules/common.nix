{ pkgs, ... }:
{
  imports = [ ./nix-settings.nix ];
  users.users.tomas = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };
  environment.systemPackages = [ pkgs.git ];
}
