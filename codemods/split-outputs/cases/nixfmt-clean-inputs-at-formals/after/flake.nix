# carol's laptop and workstation, plus a standalone Home Manager profile
# for the shared lab machine.
{
  description = "carol's NixOS machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    inputs@{
      self,
      nixpkgs,
      home-manager,
      ...
    }:
    {
      nixosConfigurations = import ./hosts { inherit inputs self; };

      homeConfigurations = import ./home { inherit inputs; };
    };
}
