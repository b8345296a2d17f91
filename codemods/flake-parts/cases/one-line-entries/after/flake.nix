{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  outputs = inputs: with inputs; (inputs.flake-parts.lib.mkFlake { inherit inputs; } { # all outputs
    systems = [
      "x86_64-linux"
    ];

    perSystem =
      { system, ... }:
      {
        packages = { default = nixpkgs.legacyPackages.${system}.hello; };

        devShells = { };
      };

    flake.lib = { };
  });
}
