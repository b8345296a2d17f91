{
  description = "One host follows nixpkgs-unstable";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, ... }: let
    mkSystem = {
      nixpkgsInput ? nixpkgs,
      module,
    }:
      nixpkgsInput.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ module ./modules ];
      };
  in
  {
    nixosConfigurations = {
      one = mkSystem {
        module = ./hosts/one.nix;
      };
      two = mkSystem {
        module = ./hosts/two.nix;
      };
      # Gaming box: wants the newest mesa.
      edge = mkSystem {
        nixpkgsInput = nixpkgs-unstable;
        module = ./hosts/edge.nix;
      };
    };
  };
}
