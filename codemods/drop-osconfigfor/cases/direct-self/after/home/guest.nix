{ lib, osConfig ? null, ... }:
{
  imports = [ ./prompt.nix ];
  home.username = "guest";
  home.stateDirectory = lib.mkIf (osConfig != null) "/var/lib/${osConfig.networking.hostName}";
}
