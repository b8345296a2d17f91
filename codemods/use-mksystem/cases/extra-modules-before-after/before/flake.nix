{
  description = "A host with an installer module before its own and a gaming module after";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkSystem = { hostname }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/${hostname}.nix
            ./modules
          ];
        };
    in
    {
      nixosConfigurations = {
        laptop = mkSystem { hostname = "laptop"; };
        # Installed from the USB stick, hence the installer module first.
        tower = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./modules/installer.nix # needs to come first
            ./hosts/tower.nix
            ./modules
            ./modules/gaming.nix
          ];
        };
      };
    };
}
