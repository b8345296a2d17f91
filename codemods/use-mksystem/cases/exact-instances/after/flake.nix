{
  description = "Two hosts that are exact instances of mkHost";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Every host goes through here (in theory).
      mkHost = { name, system }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${name}.nix
            ./modules
          ];
        };
    in
    {
      nixosConfigurations = {
        # The desktop under the desk.
        desk = mkHost {
          name = "desk";
          system = "x86_64-linux";
        };
        pi = mkHost {
          name = "pi";
          system = "aarch64-linux";
        };
        nas = mkHost { name = "nas"; system = "x86_64-linux"; };
      };
    };
}
