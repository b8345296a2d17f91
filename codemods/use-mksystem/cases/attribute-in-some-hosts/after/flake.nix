{
  description = "No helper; one host sets specialArgs, the others do not";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs: let
    mkSystem = {
      moreArgs ? { },
      module,
    }:
      nixpkgs.lib.nixosSystem ({
        system = "x86_64-linux";
        modules = [ module ./modules ];
      } // moreArgs);
  in
  {
    nixosConfigurations = {
      a = mkSystem {
        module = ./hosts/a.nix;
      };
      b = mkSystem {
        module = ./hosts/b.nix;
      };
      c = mkSystem {
        moreArgs = {
          specialArgs = { inherit inputs; };
        };
        module = ./hosts/c.nix;
      };
    };
  };
}
