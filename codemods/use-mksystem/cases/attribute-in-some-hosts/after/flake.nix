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
      hostModule,
    }:
      nixpkgs.lib.nixosSystem ({
        system = "x86_64-linux";
        modules = [ hostModule ./modules ];
      } // moreArgs);
  in
  {
    nixosConfigurations = {
      a = mkSystem {
        hostModule = ./hosts/a.nix;
      };
      b = mkSystem {
        hostModule = ./hosts/b.nix;
      };
      c = mkSystem {
        moreArgs = {
          specialArgs = { inherit inputs; };
        };
        hostModule = ./hosts/c.nix;
      };
    };
  };
}
