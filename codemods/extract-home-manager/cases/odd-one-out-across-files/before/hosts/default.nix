{ inputs, ... }:
let
  inherit (inputs) home-manager nixpkgs;
  user = "jo.doe";
in
{
  # the work laptop
  atlas = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../machines/atlas.nix
      home-manager.nixosModules.home-manager {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = true;
        home-manager.users."jo.doe" = import ../home/atlas.nix;
        home-manager.extraSpecialArgs = { inherit inputs; portable = true; };
      }
    ];
  };
  # a build box that reads the system's config from Home Manager
  forge = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../machines/forge.nix
      ({ config, ... }: {
        imports = [ home-manager.nixosModules.home-manager ];
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "backup";
          users.${user} = {
            imports = [ ../home/forge.nix ];
          };
          extraSpecialArgs = { inherit inputs; portable = false; osConfig = config; };
        };
      })
    ];
  };
}
