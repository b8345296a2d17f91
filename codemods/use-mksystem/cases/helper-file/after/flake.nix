{
  description = "Three near-copies that differ in one path";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: let
    mkSystem = import ./lib/hosts.nix { inherit home-manager inputs nixpkgs; };
  in
  {
    nixosConfigurations = {
        h00 = mkSystem {
          hostModule = ./hosts/h00.nix;
        };
        h01 = mkSystem {
          hostModule = ./hosts/h01.nix;
        };
        h02 = mkSystem {
          hostModule = ./hosts/h02.nix;
        };
    };
  };
}
