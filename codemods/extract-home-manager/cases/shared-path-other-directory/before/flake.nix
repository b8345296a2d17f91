{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      hosts = import ./lib/hosts.nix { inherit nixpkgs home-manager; };
    in
    {
      # Hosts made by the helper.
      nixosConfigurations.small = hosts.mkHost "small";
      nixosConfigurations.tiny = hosts.mkHost "tiny";
      # A host written out, with its own block.
      nixosConfigurations.big = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.users.kim = ./home.nix;
          }
        ];
      };
    };
}
