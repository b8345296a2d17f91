# Laptop and build box, after `split-outputs`: every output in its own file.
{
  description = "Two hosts, a few tools and the shells to hack on them";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      imports = [
        (import ./checks { inherit pkgsFor self; })
        # Same shell everywhere.
        ./devshells
        (import ./apps {
          inherit
            self
            ;
        })
      ];

      # The build box is aarch64; the Mac only gets shells and apps.
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];

      perSystem =
        { pkgs, system, ... }:
        {
          _module.args.pkgs = pkgsFor system;

          formatter = pkgs.nixpkgs-fmt;
        };

      flake.nixosConfigurations = import ./hosts { inherit inputs self; };

      # Linux only: the wrappers call systemctl.
      flake.packages = import ./packages { inherit pkgsFor; };
    };
}
