{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      mkHost = name: extra: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ { networking.hostName = name; } ] ++ extra;
      };

      mkHomeManager = { }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "backup";
          extraSpecialArgs = { inherit inputs; };
          users.mia = import ./home.nix;
        };
      };
    in
    {
      nixosConfigurations = {
        one = mkHost "one" [
          home-manager.nixosModules.home-manager
          (mkHomeManager { })
        ];
        two = mkHost "two" [
          home-manager.nixosModules.home-manager
          (mkHomeManager { })
        ];
        three = mkHost "three" [
          home-manager.nixosModules.home-manager
          (mkHomeManager { })
        ];
        # The appliance: its own idea of Home Manager.
        appliance = mkHost "appliance" [
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = false;
            home-manager.sharedModules = [ ./kiosk.nix ];
            home-manager.users.kiosk.home.stateVersion = "24.11";
          }
        ];
      };
    };
}
