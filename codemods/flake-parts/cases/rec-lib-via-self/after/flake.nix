{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ ];

      flake.lib.mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ { networking.hostName = name; } ];
      };
      flake.nixosConfigurations.box = self.lib.mkHost "box";
    };
}
