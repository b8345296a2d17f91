{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = inputs: with inputs; {
    nixosConfigurations.one = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        {
          home-manager.useGlobalPkgs = true;
          # `self` comes from the `with`.
          home-manager.extraSpecialArgs = { flakeRoot = self; };
          home-manager.users.kai = ./home.nix;
        }
      ];
    };
    nixosConfigurations.two = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        home-manager.nixosModules.home-manager
        {
          home-manager.useGlobalPkgs = true;
          home-manager.extraSpecialArgs = { flakeRoot = self; };
          home-manager.users.kai = ./home.nix;
        }
      ];
    };
  };
}
