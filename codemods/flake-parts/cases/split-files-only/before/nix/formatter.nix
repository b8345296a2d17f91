{ eachSystem, nixpkgs }: eachSystem (s: nixpkgs.legacyPackages.${s}.nixpkgs-fmt)
