{ nixpkgs }: {
  perSystem =
    { system, ... }:
    {
      formatter = nixpkgs.legacyPackages.${system}.nixpkgs-fmt;
    };
}
