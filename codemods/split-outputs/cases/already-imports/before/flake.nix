# Already split by hand: every output is a one-line import.
{
  description = "heidi's config";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
    in
    {
      nixosConfigurations = import ./hosts { inherit inputs; };
      homeConfigurations = import ./home { inherit inputs; };
      packages = forAllSystems (s: import ./pkgs { pkgs = nixpkgs.legacyPackages.${s}; });
      devShells = forAllSystems (s: { default = import ./shell.nix { pkgs = nixpkgs.legacyPackages.${s}; }; });
    };
}
