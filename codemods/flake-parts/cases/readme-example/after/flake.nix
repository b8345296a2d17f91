{
  description = "Workstation and dev shells";

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
    let
      # Unfree is fine here: the shells pull in a few proprietary tools.
      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { pkgs, system, ... }:
        {
          _module.args.pkgs = pkgsFor system;

          # One shell per machine, same tools everywhere.
          devShells = {
            default = pkgs.mkShell {
              packages = [ pkgs.git pkgs.jq ];
            };
          };

          packages = {
            # A tiny smoke test for the binary cache.
            hello = pkgs.hello;
          };

          formatter = pkgs.nixpkgs-fmt;
        };

      flake.nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/desk.nix ];
      };
    };
}
