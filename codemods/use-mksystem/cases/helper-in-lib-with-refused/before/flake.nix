{
  description = "The lib/ helper reads a builtin under a with";
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
        b = inputs.nixpkgs.lib.nixosSystem {
          system = toString "x86_64-linux";
          modules = [
            ./hosts/b.nix
            ./modules
            ./modules/gaming.nix
          ];
        };
      };
    };
}
