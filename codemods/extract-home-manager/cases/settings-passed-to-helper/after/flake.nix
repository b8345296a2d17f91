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

    mkHomeManager = { sharedModules ? null, backupFileExtension ? null }@args: {
      useGlobalPkgs = true;
      users.sam = ./home.nix;
    }
      // (if args ? sharedModules then { inherit sharedModules; } else { })
      // (if args ? backupFileExtension then { inherit backupFileExtension; } else { });
  in
  {
    nixosConfigurations.a = mkSystem {
      # only here
      homeManager = mkHomeManager { backupFileExtension = "hm-bak"; };
    };
    nixosConfigurations.b = mkSystem {
      homeManager = mkHomeManager { sharedModules = [ ./shared.nix ]; };
    };
    nixosConfigurations.c = mkSystem {
      homeManager = mkHomeManager { };
    };
  };
}
