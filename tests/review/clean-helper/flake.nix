# Three lab machines, all built by one helper.
{
  description = "Lab machines anvil, bellows and crucible";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      # Every machine: its own file, the shared modules, Home Manager for tomas.
      mkHost = { name, system ? "x86_64-linux" }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${name}.nix
            ./modules/common.nix
            { networking.hostName = name; }
            home-manager.nixosModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.useUserPackages = true;
              home-manager.users.tomas = import ./home/tomas.nix;
            }
          ];
        };
    in
    {
      nixosConfigurations = {
        anvil = mkHost { name = "anvil"; };
        bellows = mkHost { name = "bellows"; };
        crucible = mkHost {
          name = "crucible";
          system = "aarch64-linux";
        };
      };
    };
}
