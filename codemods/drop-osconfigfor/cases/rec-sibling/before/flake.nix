{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { nixpkgs, home-manager, ... }: rec {
    nixosConfigurations.tower = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./tower.nix ];
    };

    homeConfigurations.lee = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      extraSpecialArgs = { osConfig = nixosConfigurations.tower.config; };
      modules = [ ./lee.nix ];
    };
  };
}
