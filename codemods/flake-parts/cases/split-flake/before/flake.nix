{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
    in
    {
      nixosConfigurations = import ./hosts { inherit inputs self; };
      homeConfigurations = import ./home { inherit inputs; };

      devShells = forAllSystems (system: import ./devshells {
        pkgs = nixpkgs.legacyPackages.${system};
      });

      nixosModules.default = import ./modules;
    };
}
