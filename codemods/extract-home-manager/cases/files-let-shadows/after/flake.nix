{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      mkHomeManager = { inputs, user, path }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          extraSpecialArgs = { inherit inputs; };
          users.${user} = import path;
        };
      };
    in
    {
      # One directory per host, each called with what it needs.
      nixosConfigurations.desk = import ./hosts/desk { inherit nixpkgs home-manager inputs mkHomeManager; };
      nixosConfigurations.nas = import ./hosts/nas { inherit nixpkgs home-manager inputs mkHomeManager; };
    };
}
