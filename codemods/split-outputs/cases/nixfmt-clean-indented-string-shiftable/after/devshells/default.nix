{ nixpkgs, ... }:
let
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
in
{
  x86_64-linux.default = pkgs.mkShell {
    packages = [
      pkgs.cage
      pkgs.firefox
    ];
    shellHook = ''
      export KIOSK_URL="''${KIOSK_URL:-https://intranet.example.org/lobby}"
      echo "kiosk dev shell; run: cage -- firefox --kiosk $KIOSK_URL"
    '';
  };
}
