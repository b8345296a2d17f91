{
  description = "One host passes no specialArgs, another passes more";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkSystem = {
        hostname,
        moreArgs ? {
          specialArgs = { inherit inputs; };
        },
      }:
        nixpkgs.lib.nixosSystem ({
          system = "x86_64-linux";
          modules = [ ./hosts/${hostname}.nix ./modules ];
        } // moreArgs);
    in
    {
      nixosConfigurations = {
        a = mkSystem { hostname = "a"; };
        # Predates specialArgs.
        b = mkSystem {
          hostname = "b";
          moreArgs = { };
        };
        c = mkSystem {
          hostname = "c";
          moreArgs = {
            specialArgs = {
              inherit inputs;
              # The secrets checkout, for agenix paths.
              secrets = ./modules;
            };
          };
        };
      };
    };
}
