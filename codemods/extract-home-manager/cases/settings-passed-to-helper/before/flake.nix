{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager }: let
    mkSystem = {
      homeManager,
    }:
      nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          {
            home-manager = homeManager;
          }
        ];
      };
  in
  {
    nixosConfigurations.a = mkSystem {
      homeManager = {
        useGlobalPkgs = true;
        backupFileExtension = "hm-bak"; # only here
        users.sam = ./home.nix;
      };
    };
    nixosConfigurations.b = mkSystem {
      homeManager = {
        useGlobalPkgs = true;
        sharedModules = [ ./shared.nix ];
        users.sam = ./home.nix;
      };
    };
    nixosConfigurations.c = mkSystem {
      homeManager = {
        useGlobalPkgs = true;
        users.sam = ./home.nix;
      };
    };
  };
}
