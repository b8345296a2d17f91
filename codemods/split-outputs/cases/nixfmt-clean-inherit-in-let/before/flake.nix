# A small Go web service, the host that runs it, and a dev shell.
{
  description = "status page";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      inherit (lib) genAttrs;
      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];

      # Only the dev shells need this.
      mkShellFor =
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        pkgs.mkShell {
          packages = [
            pkgs.go
            pkgs.gopls
            pkgs.golangci-lint
          ];
        };
    in
    {
      nixosConfigurations = {
        status = lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./server/configuration.nix
            { nixpkgs.overlays = [ (final: prev: { status-page = self.packages.x86_64-linux.default; }) ]; }
          ];
        };
      };

      packages = genAttrs systems (system: {
        default = nixpkgs.legacyPackages.${system}.callPackage ./package.nix {
          src = lib.cleanSource ./.;
        };
      });

      devShells = genAttrs systems (system: {
        default = mkShellFor system;
      });
    };
}
