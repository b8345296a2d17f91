{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }: {
    # Settings and users in two modules per host: four blocks that share
    # nothing two by two.
    nixosConfigurations.a = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        { home-manager.useGlobalPkgs = true; }
        { home-manager.users.al = ./al.nix; }
      ];
    };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        { home-manager.useGlobalPkgs = true; }
        { home-manager.users.bea = ./bea.nix; }
      ];
    };
  };
}
