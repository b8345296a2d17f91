{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];

      perSystem =
        { system, ... }:
        {
          packages =
            let
              pkgs = nixpkgs.legacyPackages.${system};
            in
            {
              default = pkgs.writeShellScriptBin "greet" ''
                echo "hello from ${system}"
              '';
            };

          checks = {
            greet = self.packages.${system}.default;
          };
        };

      flake.overlays.default = final: prev: { greet = self.packages.${prev.system}.default; };
    };
}
