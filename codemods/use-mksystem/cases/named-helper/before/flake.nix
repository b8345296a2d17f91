{
  description = "Two Macs";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    nix-darwin = {
      url = "github:LnL7/nix-darwin";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nix-darwin, ... }: {
    darwinConfigurations = {
      # Work laptop.
      mbp = nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [ ./darwin/mbp.nix ./darwin/common.nix ];
      };
      mini = nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [ ./darwin/mini.nix ./darwin/common.nix ];
      };
    };
  };
}
