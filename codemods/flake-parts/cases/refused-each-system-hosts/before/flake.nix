{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system: {
      packages.default = nixpkgs.legacyPackages.${system}.hello;
      # A host per system: `nixosConfigurations.<system>.box`.
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ];
      };
    });
}
