{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      lib = nixpkgs.lib;

      mkHomeManager = { config }: {
        imports = [ home-manager.nixosModules.home-manager ];
        home-manager = {
          useGlobalPkgs = true;
          extraSpecialArgs.osConfig = config;
          users.ivy = import ./home.nix;
        };
      };
    in
    {
      nixosConfigurations = {
        alpha = lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ({ config, ... }: mkHomeManager { inherit config; })
          ];
        };
        beta = lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            { networking.hostName = "beta"; }
            # beta is a kiosk: a second, locked-down user.
            ({ config, ... }: mkHomeManager { inherit config; })
          ];
        };
      };
    };
}
