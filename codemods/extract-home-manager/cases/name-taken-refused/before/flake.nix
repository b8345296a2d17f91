{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      # Already taken, for something else.
      mkHomeManager = user: ./home.nix;
    in
    {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          { home-manager.useGlobalPkgs = true; home-manager.users.ro = mkHomeManager "ro"; }
        ];
      };
      nixosConfigurations.b = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          { home-manager.useGlobalPkgs = true; home-manager.users.ro = mkHomeManager "ro"; }
        ];
      };
    };
}
