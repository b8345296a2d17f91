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
    nixosConfigurations = {
      owl = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./systems/owl.nix ];
      };
      puffin = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./systems/puffin.nix ];
      };
    };

    homeConfigurations = {
      judy = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./users/judy.nix ];
      };
    };

    packages = {
      x86_64-linux.wallpaper = nixpkgs.legacyPackages.x86_64-linux.runCommand "wallpaper" { } ''
        mkdir -p $out/share/backgrounds
        cp ${./systems/wallpaper.svg} $out/share/backgrounds/owl.svg
      '';
    };
  };
}
