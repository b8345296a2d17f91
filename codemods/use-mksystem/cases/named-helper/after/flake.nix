{
  description = "Two Macs";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    nix-darwin = {
      url = "github:LnL7/nix-darwin";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nix-darwin, ... }: let
    mkMac = {
      hostModule,
    }:
      nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [ hostModule ./darwin/common.nix ];
      };
  in
  {
    darwinConfigurations = {
      # Work laptop.
      mbp = mkMac {
        hostModule = ./darwin/mbp.nix;
      };
      mini = mkMac {
        hostModule = ./darwin/mini.nix;
      };
    };
  };
}
