{
  description = "Workstation and backup tooling, organised with flake-parts";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts = {
      url = "github:hercules-ci/flake-parts";
      inputs.nixpkgs-lib.follows = "nixpkgs";
    };
  };

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = [ ./parts/hosts.nix ];
      perSystem = { pkgs, ... }: {
        packages.backup = pkgs.callPackage ./pkgs/backup.nix { };
        devShells.default = pkgs.mkShell { packages = [ pkgs.restic ]; };
        formatter = pkgs.nixfmt-rfc-style;
      };
    };
}
