# Values that start on the line after their `=`.
{
  description = "erin's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      ...
    }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs; };

      homeConfigurations = import ./home { inherit home-manager nixpkgs; };

      devShells = import ./devshells { inherit nixpkgs; };
    };
}
