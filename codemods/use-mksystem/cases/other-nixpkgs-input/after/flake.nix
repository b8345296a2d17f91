{
  description = "One host follows nixpkgs-unstable";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, ... }: let
    mkSystem = {
      nixpkgsInput ? nixpkgs,
      hostModule,
    }:
      nixpkgsInput.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ hostModule ./modules ];
      };
  in
  {
    nixosConfigurations = {
      one = mkSystem {
        hostModule = ./hosts/one.nix;
      };
      two = mkSystem {
        hostModule = ./hosts/two.nix;
      };
      # Gaming box: wants the newest mesa.
      edge = mkSystem {
        nixpkgsInput = nixpkgs-unstable;
        hostModule = ./hosts/edge.nix;
      };
    };
  };
}
