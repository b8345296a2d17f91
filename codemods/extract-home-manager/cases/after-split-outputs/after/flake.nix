# Two hand-written hosts and a helper, each with its own copy of the
# Home Manager block.
{
  description = "hosts with Home Manager as a NixOS module";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, home-manager, ... }@inputs:
    {
      nixosConfigurations = import ./hosts { inherit inputs self; };
    };
}
