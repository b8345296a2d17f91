{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = inputs@{ nixpkgs, nixpkgs-unstable, ... }:
    let
      inherit (nixpkgs.lib) nixosSystem;
      hostDir = name: ./hosts + "/${name}";

      mkSystem = {
        nixosSystemInput ? nixosSystem,
        extraModules ? [ ],
        hostname,
      }:
        nixosSystemInput {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            (hostDir hostname)
            ./modules/common.nix
          ] ++ extraModules;
        };
    in
    {
      nixosConfigurations = {
        # the laptop
        laptop = mkSystem {
          hostname = "laptop";
        };
        desktop = mkSystem {
          extraModules = [
            ./modules/gaming.nix # steam and friends
          ];
          hostname = "desktop";
        };
        server = mkSystem {
          nixosSystemInput = nixpkgs-unstable.lib.nixosSystem;
          hostname = "server";
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
