{
  description = "The lib/ helper reads inputs.nixpkgs, the host its own nixpkgs";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Shared functions; only the hosts below use them.
      lib = import ./lib { inherit inputs; };
    in
    {
      nixosConfigurations = {
        a = lib.mkSystem { hostname = "a"; };
        # Never migrated: one more module, written from the flake's directory.
        b = lib.mkSystem {
          hostname = "b";
          builder = nixpkgs.lib.nixosSystem;
          extraModules = [
            ./modules/gaming.nix
          ];
        };
      };
    };
}
