{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts = {
      url = "github:hercules-ci/flake-parts";
      inputs.nixpkgs-lib.follows = "nixpkgs";
    };
  };

  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];

      flake = {
        # The quarry office file server.
        nixosConfigurations.quarry = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/quarry.nix ];
        };
        nixosConfigurations.slate = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          modules = [ ./hosts/slate.nix ];
        };
      };

      perSystem = { pkgs, ... }: {
        devShells.default = pkgs.mkShell { packages = [ pkgs.nixos-rebuild ]; };
      };
    };
}
