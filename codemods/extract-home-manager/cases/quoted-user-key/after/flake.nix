{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = inputs@{ nixpkgs, home-manager, ... }:
    let
      mkHomeManager = { user, module }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users.${user}.imports = [ ./home/common.nix module ];
        };
      };
    in {
    nixosConfigurations = {
      # Work laptop: the corporate login has a dot in it.
      work = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/work.nix
          home-manager.nixosModules.home-manager
          (mkHomeManager { user = "jane.doe"; module = ./home/work.nix; })
        ];
      };
      home = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/home.nix
          home-manager.nixosModules.home-manager
          (mkHomeManager { user = "jane"; module = ./home/games.nix; })
        ];
      };
    };
  };
}
