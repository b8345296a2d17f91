{ nixpkgs, home-manager, ... }:
let
  mkHomeManager =
    {
      user,
      backupFileExtension ? null,
      path,
    }@args:
    {
      home-manager = {
        useGlobalPkgs = true;
        useUserPackages = true;
        users.${user} = import path;
      }
      // (if args ? backupFileExtension then { inherit backupFileExtension; } else { });
    };
in
{
  # Three boxes, one user each.
  red = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ./red.nix
      home-manager.nixosModules.home-manager
      (mkHomeManager {
        user = "rita";
        path = ../home/rita.nix;
      })
    ];
  };
  green = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ./green.nix
      home-manager.nixosModules.home-manager
      (mkHomeManager {
        user = "gus";
        path = ../home/gus.nix;
      })
    ];
  };
  blue = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    modules = [
      ./blue.nix
      home-manager.nixosModules.home-manager
      (mkHomeManager {
        user = "bo";
        backupFileExtension = "pre-hm";
        path = ../home/bo.nix;
      })
    ];
  };
}
