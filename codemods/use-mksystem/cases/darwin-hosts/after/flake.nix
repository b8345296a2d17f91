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
    mkDarwin = {
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
      mbp = mkDarwin {
        hostModule = ./darwin/mbp.nix;
      };
      mini = mkDarwin {
        hostModule = ./darwin/mini.nix;
      };
    };
  };
}
