{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          packages = {
            default = nixpkgs.legacyPackages.${system}.hello;
          };
        };

      # Not an output flake-parts knows: stays under `flake`.
      flake.hydraJobs = forAllSystems (system: {
        inherit (self.packages.${system}) default;
      });

      flake.lib.greeting = "hello";
    };
}
