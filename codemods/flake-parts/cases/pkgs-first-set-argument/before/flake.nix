{
  description = "A Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      supportedSystems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      forEachSupportedSystem = f: nixpkgs.lib.genAttrs supportedSystems (system: f {
        pkgs = import nixpkgs {
          inherit system;
          overlays = [ self.overlays.default ];
        };
        inherit system;
      });
    in
    {
      overlays.default = final: prev: {
        go = prev.go;
      };

      devShells = forEachSupportedSystem ({ pkgs, ... }: {
        default = pkgs.mkShell {
          packages = with pkgs; [ go gopls golangci-lint ];
        };
      });

      packages = forEachSupportedSystem ({ pkgs, system }: {
        default = pkgs.buildGoModule {
          pname = "tool-${system}";
          version = "0.1.0";
          src = ./.;
          vendorHash = null;
        };
      });
    };
}
