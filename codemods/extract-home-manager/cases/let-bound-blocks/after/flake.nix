{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    nix-darwin.url = "github:LnL7/nix-darwin";
  };

  outputs = { self, nixpkgs, home-manager, nix-darwin }:
    let
      # Home Manager for the Linux boxes; both of them load it by name.
      hmLinux = mkHomeManager { path = ./users/kim.nix; };

      hmModules = {
        # The Mac keeps its own copy: a different home directory.
        darwin = mkHomeManager { path = ./users/kim-mac.nix; };
      };

      mkHomeManager = { path }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users.kim = import path;
        };
      };
    in
    {
      nixosConfigurations.tower = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          hmLinux
        ];
      };
      nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          home-manager.nixosModules.home-manager
          hmLinux
          { services.tlp.enable = true; }
        ];
      };
      darwinConfigurations.mba = nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        modules = [
          home-manager.darwinModules.home-manager
          hmModules.darwin
        ];
      };
    };
}
