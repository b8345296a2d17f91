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
      module,
    }:
      nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [ module ./darwin/common.nix ];
      };
  in
  {
    darwinConfigurations = {
      # Work laptop.
      mbp = mkMac {
        module = ./darwin/mbp.nix;
      };
      mini = mkMac {
        module = ./darwin/mini.nix;
      };
    };
  };
}
