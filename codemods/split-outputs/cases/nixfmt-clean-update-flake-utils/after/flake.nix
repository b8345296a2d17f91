# Mirror host plus the sync tool it runs, built for every default system.
{
  description = "package mirror";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs =
    {
      self,
      nixpkgs,
      flake-utils,
      ...
    }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs self; };

      overlays.default = final: prev: { mirror-sync = final.callPackage ./pkgs/mirror-sync.nix { }; };
    }
    // flake-utils.lib.eachDefaultSystem (
      system:
      let
        pkgs = nixpkgs.legacyPackages.${system};
      in
      {
        packages.default = pkgs.callPackage ./pkgs/mirror-sync.nix { };

        devShells.default = pkgs.mkShell {
          packages = [
            pkgs.rsync
            pkgs.shellcheck
          ];
          shellHook = ''
            echo "mirror tooling for ${system}"
          '';
        };
      }
    );
}
