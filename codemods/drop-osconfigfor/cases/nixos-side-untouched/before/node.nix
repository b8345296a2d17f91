{ allHosts, ... }:
{
  networking.hostName = "node";
  networking.extraHosts = builtins.concatStringsSep "\n" (builtins.attrNames allHosts);
}
