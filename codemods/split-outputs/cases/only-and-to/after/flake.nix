# judy's desktop and laptop, her Home Manager profile and one package.
{
  description = "judy's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations = import ./machines { inherit inputs; };

    homeConfigurations = {
      judy = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./users/judy.nix ];
      };
    };

    packages = import ./packages { inherit nixpkgs; };
  };
}
