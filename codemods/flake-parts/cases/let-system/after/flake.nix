{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          packages.default = pkgs.writeShellScriptBin "backup" ''
            rsync -a ~/ /mnt/backup/
          '';

          devShells.default = pkgs.mkShell {
            packages = [ pkgs.rsync ];
          };
        };

      flake.nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./laptop.nix ];
      };
    };
}
