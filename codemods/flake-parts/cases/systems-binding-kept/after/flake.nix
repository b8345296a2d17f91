{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      inherit systems;

      perSystem =
        { system, ... }:
        {
          packages = {
            default = nixpkgs.legacyPackages.${system}.bat;
          };
        };

      # Hydra builds the same packages, under its own name.
      flake.hydraJobs = nixpkgs.lib.genAttrs systems (system: self.packages.${system});
    };
}
