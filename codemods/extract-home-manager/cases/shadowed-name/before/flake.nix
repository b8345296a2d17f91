{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      theme = "default";
    in
    {
      nixosConfigurations = {
        # Each host picks its own theme; the blocks read `theme` the same
        # way but it means something else in each.
        studio =
          let
            theme = "dark";
          in
          nixpkgs.lib.nixosSystem {
            system = "x86_64-linux";
            modules = [
              home-manager.nixosModules.home-manager
              {
                home-manager.useGlobalPkgs = true;
                home-manager.extraSpecialArgs = { inherit theme; };
                home-manager.users.pat = ./home.nix;
              }
            ];
          };
        kiosk =
          let
            theme = "light";
          in
          nixpkgs.lib.nixosSystem {
            system = "x86_64-linux";
            modules = [
              home-manager.nixosModules.home-manager
              {
                home-manager.useGlobalPkgs = true;
                home-manager.extraSpecialArgs = { inherit theme; };
                home-manager.users.pat = ./home.nix;
              }
            ];
          };
        plain = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            home-manager.nixosModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.extraSpecialArgs = { inherit theme; };
              home-manager.users.pat = ./home.nix;
            }
          ];
        };
      };
    };
}
