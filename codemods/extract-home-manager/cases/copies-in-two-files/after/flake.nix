{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      # The helper keeps its own copy of the block.
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { networking.hostName = name; }
          home-manager.nixosModules.home-manager
          (mkHomeManager { userModule = ./home.nix; })
        ];
      };

      mkHomeManager = { useUserPackages ? null, userModule }@args: {
        home-manager = {
          useGlobalPkgs = true;
          users.zoe = userModule;
        }
          // (if args ? useUserPackages then { inherit useUserPackages; } else { });
      };
    in
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs home-manager mkHost mkHomeManager; };
    };
}
