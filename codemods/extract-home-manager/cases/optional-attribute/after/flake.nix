{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager }:
    let
      mkHomeManager = { sharedModules ? null, backupFileExtension ? null }@args: {
        home-manager = {
          useGlobalPkgs = true;
          users.sam = ./home.nix;
        }
          // (if args ? sharedModules then { inherit sharedModules; } else { })
          // (if args ? backupFileExtension then { inherit backupFileExtension; } else { });
      };
    in {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        # only here
        (mkHomeManager { backupFileExtension = "hm-bak"; })
      ];
    };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        (mkHomeManager { sharedModules = [ ./shared.nix ]; })
      ];
    };
    nixosConfigurations.c = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        (mkHomeManager { })
      ];
    };
  };
}
