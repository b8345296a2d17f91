{ forAllSystems, nixpkgs, ... }:
forAllSystems (system: {
  hello = nixpkgs.legacyPackages.${system}.hello;
})
