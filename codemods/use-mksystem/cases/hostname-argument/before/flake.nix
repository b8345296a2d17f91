{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = inputs@{ nixpkgs, nixpkgs-unstable, ... }:
    let
      inherit (nixpkgs.lib) nixosSystem;
      hostDir = name: ./hosts + "/${name}";
    in
    {
      nixosConfigurations = {
        # the laptop
        laptop = nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            (hostDir "laptop")
            ./modules/common.nix
          ];
        };
        desktop = nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            (hostDir "desktop")
            ./modules/common.nix
            ./modules/gaming.nix # steam and friends
          ];
        };
        server = nixpkgs-unstable.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            (hostDir "server")
            ./modules/common.nix
          ];
        };
        /*
        old = nixosSystem {
          system = "i686-linux";
          modules = [ ./hosts/old ];
        };
        */
      };
    };
}
