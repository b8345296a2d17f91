{
  description = "The helper ignores extra arguments; one call passes one a new parameter would read";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = { hostname, ... }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/${hostname}.nix ./modules ];
        };
    in
    {
      nixosConfigurations = {
        # extraModules has never done anything here.
        a = mkSystem { hostname = "a"; extraModules = [ ./modules/gaming.nix ]; };
        b = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/b.nix ./modules ./modules/disko.nix ];
        };
      };
    };
}
