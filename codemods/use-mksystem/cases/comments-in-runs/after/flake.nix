# Flake für die Rechner im Büro — vor jeder Änderung `nix flake check`.
{
  description = "office machines";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      # Gemeinsame Module für alle Bürorechner.
      # Nothing but nixosConfigurations uses this list.
      officeModules = [
        ./modules/printing.nix # Drucker im Flur
        ./modules/locale.nix
      ];

      mkSystem = {
        extraModules,
      }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = officeModules ++ extraModules;
        };
    in
    {
      # The office machines, one plain nixosSystem each.
      # No helper on purpose: there are only two of them.
      # 事務所のマシン一覧
      nixosConfigurations = {
        # Empfang (reception desk)
        empfang = mkSystem {
          extraModules = [
            ./machines/empfang.nix # 受付
            /* kiosk mode is set in the machine file,
               not here */
          ];
        };

        buchhaltung = mkSystem {
          # 経理
          extraModules = [
            ./machines/buchhaltung.nix
            { services.printing.drivers = [ ]; } /* uses the network printer */
          ];
        };

        # Alter Druckserver, 2023 abgeschaltet. Nicht löschen — 参考用.
        # drucker = nixpkgs.lib.nixosSystem {
        #   system = "i686-linux";
        #   modules = officeModules ++ [ { services.printing.enable = true; } ];
        # };
      }; # Ende nixosConfigurations

      # Formatter for `nix fmt`.
      formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixpkgs-fmt;
    };
}
