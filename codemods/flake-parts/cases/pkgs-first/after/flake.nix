{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      pkgsFor = nixpkgs.lib.genAttrs systems (system: import nixpkgs {
        inherit system;
        overlays = [ ];
      });
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      inherit systems;

      perSystem =
        { pkgs, system, ... }:
        {
          _module.args.pkgs = pkgsFor.${system};

          devShells = {
            default = pkgs.mkShell { packages = [ pkgs.go pkgs.gopls ]; };
          };

          packages = {
            default = pkgs.buildGoModule {
              pname = "tool";
              version = "0.1.0";
              src = ./.;
              vendorHash = null;
            };
          };
        };
    };
}
