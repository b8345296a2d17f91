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
      module,
    }:
      nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [
          module
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
          module = ./hosts/h00.nix;
        };
        h01 = mkSystem {
          module = ./hosts/h01.nix;
        };
        h02 = mkSystem {
          module = ./hosts/h02.nix;
        };
        h03 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          module = ./hosts/h03.nix;
        };
        h04 = mkSystem {
          module = ./hosts/h04.nix;
        };
        h05 = mkSystem {
          module = ./hosts/h05.nix;
        };
        h06 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          module = ./hosts/h06.nix;
        };
        h07 = mkSystem {
          module = ./hosts/h07.nix;
        };
        h08 = mkSystem {
          module = ./hosts/h08.nix;
        };
        h09 = mkSystem {
          moreModules = [
            ./modules/disko.nix
            ./modules/gaming.nix
          ];
          module = ./hosts/h09.nix;
        };
        h10 = mkSystem {
          module = ./hosts/h10.nix;
        };
        h11 = mkSystem {
          module = ./hosts/h11.nix;
        };
    };
  };
}
