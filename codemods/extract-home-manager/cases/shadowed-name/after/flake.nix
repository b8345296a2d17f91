{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      theme = "default";

      mkHomeManager = { theme }: {
        home-manager = {
          useGlobalPkgs = true;
          extraSpecialArgs = { inherit theme; };
          users.pat = ./home.nix;
        };
      };
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
              (mkHomeManager { inherit theme; })
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
              (mkHomeManager { inherit theme; })
            ];
          };
        plain = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            home-manager.nixosModules.home-manager
            (mkHomeManager { inherit theme; })
          ];
        };
      };
    };
}
