{
  description = "Twelve near-copies, every third with disko and gaming";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations = {
        h00 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h00.nix
            ./modules
            ./modules/disko.nix
            ./modules/gaming.nix
            home-manager.nixosModules.home-manager
          ];
        };
        h01 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h01.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h02 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h02.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h03 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h03.nix
            ./modules
            ./modules/disko.nix
            ./modules/gaming.nix
            home-manager.nixosModules.home-manager
          ];
        };
        h04 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h04.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h05 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h05.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h06 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h06.nix
            ./modules
            ./modules/disko.nix
            ./modules/gaming.nix
            home-manager.nixosModules.home-manager
          ];
        };
        h07 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h07.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h08 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h08.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h09 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h09.nix
            ./modules
            ./modules/disko.nix
            ./modules/gaming.nix
            home-manager.nixosModules.home-manager
          ];
        };
        h10 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h10.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
        h11 = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/h11.nix
            ./modules
            home-manager.nixosModules.home-manager
          ];
        };
    };
  };
}
