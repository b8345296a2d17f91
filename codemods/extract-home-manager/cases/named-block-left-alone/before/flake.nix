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
    in
    {
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              users.lena = import ./users/lena.nix;
            };
          }
        ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              users.max = import ./users/max.nix;
            };
          }
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
