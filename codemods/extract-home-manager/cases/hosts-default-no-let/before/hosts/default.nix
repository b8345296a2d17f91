{ nixpkgs, home-manager, ... }:
{
  # Three boxes, one user each.
  red = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ./red.nix
      home-manager.nixosModules.home-manager
      {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = true;
        home-manager.users.rita = import ../home/rita.nix;
      }
    ];
  };
  green = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ./green.nix
      home-manager.nixosModules.home-manager
      {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users.gus = import ../home/gus.nix;
        };
      }
    ];
  };
  blue = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    modules = [
      ./blue.nix
      home-manager.nixosModules.home-manager
      {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "pre-hm";
          users.bo = import ../home/bo.nix;
        };
      }
    ];
  };
}
