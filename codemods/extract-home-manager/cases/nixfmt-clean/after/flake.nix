{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs =
    { nixpkgs, home-manager, ... }:
    let
      system = "x86_64-linux";

      mkHomeManager =
        {
          extraSpecialArgs ? null,
          backupFileExtension ? null,
        }@args:
        {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            users.lu = import ./home/lu.nix;
          }
          // (if args ? extraSpecialArgs then { inherit extraSpecialArgs; } else { })
          // (if args ? backupFileExtension then { inherit backupFileExtension; } else { });
        };
    in
    {
      nixosConfigurations = {
        # The desktop.
        desk = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            home-manager.nixosModules.home-manager
            (mkHomeManager { backupFileExtension = "backup"; })
          ];
        };
        # The laptop.
        lap = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            { networking.hostName = "lap"; }
            home-manager.nixosModules.home-manager
            (
              { config, ... }:
              mkHomeManager {
                extraSpecialArgs = {
                  hostName = config.networking.hostName;
                };
              }
            )
          ];
        };
      };
    };
}
