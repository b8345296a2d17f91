{ pkgsFor, ... }:
let
  toolsFor = system:
    let
      pkgs = pkgsFor system;
    in
    {
      # Restart the user units after a switch.
      restart-units = pkgs.writeShellScriptBin "restart-units" ''
        systemctl --user daemon-reload
      '';
    };
in
{
  x86_64-linux = toolsFor "x86_64-linux";
  aarch64-linux = toolsFor "aarch64-linux";
}
