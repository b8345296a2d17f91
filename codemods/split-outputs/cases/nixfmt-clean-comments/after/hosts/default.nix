{ nixpkgs, ... }:
let
  # Gemeinsame Module für alle Bürorechner.
  # Nothing but nixosConfigurations uses this list.
  officeModules = [
    ../modules/printing.nix # Drucker im Flur
    ../modules/locale.nix
  ];
in
{
  # Empfang (reception desk)
  empfang = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = officeModules ++ [
      ../machines/empfang.nix # 受付
      /*
        kiosk mode is set in the machine file,
        not here
      */
    ];
  };

  buchhaltung = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux"; # 経理
    modules = officeModules ++ [
      ../machines/buchhaltung.nix
      { services.printing.drivers = [ ]; } # uses the network printer
    ];
  };

  # Alter Druckserver, 2023 abgeschaltet. Nicht löschen — 参考用.
  # drucker = nixpkgs.lib.nixosSystem {
  #   system = "i686-linux";
  #   modules = officeModules ++ [ { services.printing.enable = true; } ];
  # };
}
