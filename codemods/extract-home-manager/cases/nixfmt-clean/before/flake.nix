{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs =
    { nixpkgs, home-manager, ... }:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations = {
        # The desktop.
        desk = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "backup";
                users.lu = import ./home/lu.nix;
              };
            }
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
              {
                home-manager = {
                  useGlobalPkgs = true;
                  useUserPackages = true;
                  extraSpecialArgs.hostName = config.networking.hostName;
                  users.lu = import ./home/lu.nix;
                };
              }
            )
          ];
        };
      };
    };
}
