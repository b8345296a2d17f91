{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";

  outputs = inputs@{ nixpkgs, flake-parts, ... }:
    let
      # One package set for the hosts and the dev shell alike.
      pkgsFor = system: import nixpkgs { inherit system; config.allowUnfree = true; };
    in
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      flake.nixosConfigurations.mica = nixpkgs.lib.nixosSystem {
        pkgs = pkgsFor "x86_64-linux";
        modules = [ ./mica.nix ];
      };
      perSystem = { system, ... }: {
        devShells.default = (pkgsFor system).mkShell {
          packages = [ (pkgsFor system).git ];
        };
      };
    };
}
