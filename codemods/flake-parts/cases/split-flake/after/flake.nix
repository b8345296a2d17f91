{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager";
    flake-parts.url = "github:hercules-ci/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          devShells = import ./devshells {
            pkgs = nixpkgs.legacyPackages.${system};
          };
        };

      flake.nixosConfigurations = import ./hosts { inherit inputs self; };
      flake.homeConfigurations = import ./home { inherit inputs; };

      flake.nixosModules.default = import ./modules;
    };
}
