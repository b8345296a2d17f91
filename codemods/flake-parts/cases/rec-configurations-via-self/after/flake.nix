{
  description = "Standalone Home Manager reading a host of the rec outputs";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    flake-parts = {
      url = "github:hercules-ci/flake-parts";
      inputs.nixpkgs-lib.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          packages.default = nixpkgs.legacyPackages.${system}.hello;
        };

      flake.nixosConfigurations.lark = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./lark.nix ];
      };
      flake.homeConfigurations."ada@lark" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./home.nix ];
        # the host's settings, for the prompt
        extraSpecialArgs.hostName = self.nixosConfigurations.lark.config.networking.hostName;
      };
    };
}
