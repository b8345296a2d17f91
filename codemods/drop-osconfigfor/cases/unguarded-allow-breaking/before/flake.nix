{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in
    {
      nixosConfigurations.cube = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./cube.nix ];
      };

      homeConfigurations.max = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        extraSpecialArgs = {
          osConfig = self.nixosConfigurations.cube.config;
          theme = "dark";
        };
        modules = [
          ./home/max.nix
          ({ osConfig, ... }: { home.sessionVariables.HOST = osConfig.networking.hostName; })
        ];
      };
    };
}
