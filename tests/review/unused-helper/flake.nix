{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      # Meant to replace the two definitions below; never finished.
      mkMachine = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/${name}.nix ./modules/base.nix ];
      };
    in
    {
      nixosConfigurations.ledger = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/ledger.nix ./modules/base.nix ];
      };

      nixosConfigurations.quill = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/quill.nix ./modules/base.nix ];
      };
    };
}
