{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let hm = home-manager.nixosModules.home-manager;
      mkHomeManager = { useUserPackages ? null }@args: {
        home-manager = {
          useGlobalPkgs = true;
          users.sol = ./home.nix;
        }
          // (if args ? useUserPackages then { inherit useUserPackages; } else { });
      }; in {
      nixosConfigurations.x = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ hm (mkHomeManager { }) ];
      };
      nixosConfigurations.y = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ hm (mkHomeManager { useUserPackages = true; }) ];
      };
    };
}
