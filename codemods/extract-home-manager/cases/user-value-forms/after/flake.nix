{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager }:
    let
      mkHomeManager = { userModule }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "backup";
          extraSpecialArgs = { inherit self; };
          users.lee = userModule;
        };
      };
    in {
    nixosConfigurations = {
      # The user module three ways: a file, an imports list, and a set.
      one = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager { userModule = import ./home/lee.nix; })
        ];
      };
      two = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager {
            userModule = {
              imports = [ ./home/lee.nix ./home/extra.nix ];
            };
          })
        ];
      };
      three = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager {
            userModule = {
              imports = [ ./home/lee.nix ];
              home.sessionVariables.EDITOR = "hx";
            };
          })
        ];
      };
    };
  };
}
