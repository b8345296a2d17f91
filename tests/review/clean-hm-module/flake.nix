{
  description = "kestrel and merlin share one Home Manager setup; ines also has a Mac";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }: {
    nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        ./modules/home-manager.nix
        ./hosts/kestrel.nix
      ];
    };

    nixosConfigurations.merlin = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        ./modules/home-manager.nix
        ./hosts/merlin.nix
      ];
    };

    # The work Mac has no NixOS: a standalone profile of its own.
    homeConfigurations."ines@work-mac" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.aarch64-darwin;
      modules = [ ./home/ines-mac.nix ];
    };
  };
}
