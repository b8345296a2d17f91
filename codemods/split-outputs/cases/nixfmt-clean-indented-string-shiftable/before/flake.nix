# Lobby kiosk. The strings below must keep their exact values when the
# outputs move to other files.
{
  description = "lobby kiosk";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in
    {
      nixosConfigurations = {
        kiosk = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./kiosk.nix
            {
              environment.etc."motd".text = ''
                Welcome to the lobby kiosk.
                  Problems? Call extension 214.
                  Built from ${self.shortRev or "a dirty tree"}.
              '';
              # A plain string with a real line break: its second line is
              # part of the value and must stay exactly as it is.
              services.getty.helpLine = "Log in as guest.
   No password is needed.";
            }
          ];
        };
      };

      devShells = {
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
      };
    };
}
