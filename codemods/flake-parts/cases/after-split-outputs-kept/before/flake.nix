{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
      forEachSystem = f: forAllSystems (s: f nixpkgs.legacyPackages.${s});
    in
    {
      devShells = import ./devshells { inherit forAllSystems nixpkgs; };

      packages = import ./packages { inherit forAllSystems nixpkgs; };

      checks = import ./checks { inherit forAllSystems nixpkgs; };

      apps = import ./apps { inherit forEachSystem; };

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixpkgs-fmt);
    };
}
