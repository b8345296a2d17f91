{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      # one user's Home Manager settings
      hmFor = user: {
        home-manager.useGlobalPkgs = true;
        home-manager.users.${user} = import ./home/${user}.nix;
      };
    in
    {
      nixosConfigurations.ash = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./machines/ash.nix home-manager.nixosModules.home-manager (hmFor "ann") ];
      };
      nixosConfigurations.elm = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./machines/elm.nix
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.users.bob = import ./home/bob.nix;
          }
        ];
      };
      nixosConfigurations.oak = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./machines/oak.nix
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.users.cem = import ./home/cem.nix;
          }
        ];
      };
    };
}
