{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.workstation = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            backupFileExtension = "backup";
            extraSpecialArgs = { inherit inputs; gpu = "nvidia"; };
            sharedModules = [ ./shared.nix ];
            users.ola = import ./home.nix;
          };
        }
      ];
    };
    # A different world: nothing in common but the option names.
    nixosConfigurations.router = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        {
          home-manager = {
            useGlobalPkgs = false;
            useUserPackages = false;
            backupFileExtension = "old";
            extraSpecialArgs = { headless = true; };
            users.admin = import ./admin.nix;
          };
        }
      ];
    };
  };
}
