{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
    home-manager = {
      url = "github:nix-community/home-manager";
    };
    nixos-generators = { url = "github:nix-community/nixos-generators"; };
    nix-index-database = {
      url = "github:nix-community/nix-index-database";
      # share the flake's flake-utils
      inputs = {
        flake-utils.follows = "flake-utils";
      };
    };
  };

  outputs = { self, nixpkgs, flake-utils, home-manager, nixos-generators, nix-index-database }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        nix-index-database.nixosModules.nix-index
        ./configuration.nix
      ];
    };
    packages.x86_64-linux.iso = nixos-generators.nixosGenerate {
      system = "x86_64-linux";
      format = "iso";
    };
  };
}
