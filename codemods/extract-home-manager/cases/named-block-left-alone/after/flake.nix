{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager }:
    let
      # The build server's account, named once for the module below.
      hmServer =
        let
          user = "ci";
        in
        {
          home-manager = {
            useGlobalPkgs = true;
            users.${user} = import ./users/ci.nix;
          };
        };

      mkHomeManager = { user, path }: {
        home-manager = {
          useGlobalPkgs = true;
          users.${user} = import path;
        };
      };
    in
    {
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager { user = "lena"; path = ./users/lena.nix; })
        ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager { user = "max"; path = ./users/max.nix; })
        ];
      };
      nixosConfigurations.ci = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          hmServer
        ];
      };
    };
}
