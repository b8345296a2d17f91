{
  description = "A Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, flake-parts }@inputs:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];

      perSystem =
        { pkgs, system, ... }:
        {
          _module.args.pkgs = import nixpkgs {
            inherit system;
            overlays = [ self.overlays.default ];
          };

          devShells = {
            default = pkgs.mkShell {
              packages = with pkgs; [ go gopls golangci-lint ];
            };
          };

          packages = {
            default = pkgs.buildGoModule {
              pname = "tool-${system}";
              version = "0.1.0";
              src = ./.;
              vendorHash = null;
            };
          };
        };

      flake.overlays.default = final: prev: {
        go = prev.go;
      };
    };
}
