{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager }:
    let
      mkHomeManager = { }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users.ada = import ./home.nix;
        };
      };
    in {
    nixosConfigurations = {
      nested = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager { })
        ];
      };
      dotted = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          (mkHomeManager { })
        ];
      };
    };
  };
}
