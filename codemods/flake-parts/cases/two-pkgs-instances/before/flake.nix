{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
      # Free software only, for the packages we publish.
      freePkgs = system: import nixpkgs { inherit system; };
      # Everything, for the shells.
      unfreePkgs = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    {
      packages = forAllSystems (system: {
        default = (freePkgs system).hello;
      });
      devShells = forAllSystems (system: {
        default = (unfreePkgs system).mkShell { };
      });
    };
}
