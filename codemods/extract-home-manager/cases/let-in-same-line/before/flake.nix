{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let hm = home-manager.nixosModules.home-manager; in {
      nixosConfigurations.x = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ hm { home-manager.useGlobalPkgs = true; home-manager.users.sol = ./home.nix; } ];
      };
      nixosConfigurations.y = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ hm { home-manager.useGlobalPkgs = true; home-manager.users.sol = ./home.nix; home-manager.useUserPackages = true; } ];
      };
    };
}
