{ forAllSystems, nixpkgs, ... }:
forAllSystems (
  # Plain legacyPackages: nothing unfree in the shell.
  system: {
    default = nixpkgs.legacyPackages.${system}.mkShell { };
  }
)
