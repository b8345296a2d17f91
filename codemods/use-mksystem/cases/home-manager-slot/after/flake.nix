{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      # one user's Home Manager settings
      hmFor = user: {
        home-manager.useGlobalPkgs = true;
        home-manager.users.${user} = import ./home/${user}.nix;
      };

      mkSystem = {
        hostModule,
        homeManager,
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ hostModule home-manager.nixosModules.home-manager homeManager ];
        };
    in
    {
      nixosConfigurations.ash = mkSystem {
        hostModule = ./machines/ash.nix;
        homeManager = hmFor "ann";
      };
      nixosConfigurations.elm = mkSystem {
        hostModule = ./machines/elm.nix;
        homeManager = {
          home-manager.useGlobalPkgs = true;
          home-manager.users.bob = import ./home/bob.nix;
        };
      };
      nixosConfigurations.oak = mkSystem {
        hostModule = ./machines/oak.nix;
        homeManager = {
          home-manager.useGlobalPkgs = true;
          home-manager.users.cem = import ./home/cem.nix;
        };
      };
    };
}
