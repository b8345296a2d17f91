{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      common = { time.timeZone = "UTC"; };

      mkHomeManager = { }: {
        home-manager = {
          useGlobalPkgs = true;
          users.noa = ./home.nix;
        };
      };
    in
    {
      nixosConfigurations.first = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          common
          home-manager.nixosModules.home-manager (mkHomeManager { })
        ];
      };
      nixosConfigurations.second = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          common
          { networking.hostName = "second"; }
          (mkHomeManager { })
        ];
      };
    };
}
