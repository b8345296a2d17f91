{
  description = "Twelve near-copies, every third with disko and gaming";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: let
    mkSystem = {
      moreModules ? [ ],
      hostModule,
    }:
      nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [
          hostModule
          ./modules
          ] ++ moreModules ++ [
          home-manager.nixosModules.home-manager
        ];
      };
  in
  {
    nixosConfigurations = {
        h00 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          hostModule = ./hosts/h00.nix;
        };
        h01 = mkSystem {
          hostModule = ./hosts/h01.nix;
        };
        h02 = mkSystem {
          hostModule = ./hosts/h02.nix;
        };
        h03 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          hostModule = ./hosts/h03.nix;
        };
        h04 = mkSystem {
          hostModule = ./hosts/h04.nix;
        };
        h05 = mkSystem {
          hostModule = ./hosts/h05.nix;
        };
        h06 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          hostModule = ./hosts/h06.nix;
        };
        h07 = mkSystem {
          hostModule = ./hosts/h07.nix;
        };
        h08 = mkSystem {
          hostModule = ./hosts/h08.nix;
        };
        h09 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          hostModule = ./hosts/h09.nix;
        };
        h10 = mkSystem {
          hostModule = ./hosts/h10.nix;
        };
        h11 = mkSystem {
          hostModule = ./hosts/h11.nix;
        };
    };
  };
}
