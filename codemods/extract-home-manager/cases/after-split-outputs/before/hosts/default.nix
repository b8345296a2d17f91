{ inputs, self, ... }:
let
  inherit (inputs) home-manager nixpkgs nixpkgs-unstable;

  unstableFor = system: import nixpkgs-unstable {
    inherit system;
    config.allowUnfree = true;
  };
  # Generic host builder; only `builder` uses it.
  mkSystem = { hostname, system, modules }:
    nixpkgs.lib.nixosSystem {
      inherit system;
      specialArgs = { inherit inputs self; };
      modules = [
        ../configurations/${hostname}.nix
        ../modules
        home-manager.nixosModules.home-manager
        {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            backupFileExtension = "backup";
            extraSpecialArgs = {
              inherit inputs self;
              pkgs-unstable = unstableFor system;
            };
            users.alice = { imports = [ ../home-alice.nix ]; };
          };
        }
      ] ++ modules;
    };
in
{
  # Headless Sway box in the cloud.
  cloud = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs self; };
    modules = [
      ../configurations/cloud.nix
      ../modules
      home-manager.nixosModules.home-manager
      {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "backup";
          extraSpecialArgs = {
            inherit inputs self;
            pkgs-unstable = unstableFor "x86_64-linux";
          };
          users.alice = { imports = [ ../home-alice.nix ]; };
        };
      }
    ];
  };

  # ARM laptop: home modules look at the NixOS side.
  laptop = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    specialArgs = { inherit inputs self; };
    modules = [
      ../configurations/laptop.nix
      ../modules
      home-manager.nixosModules.home-manager
      ({ config, ... }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "backup";
          extraSpecialArgs = {
            inherit inputs self;
            pkgs-unstable = unstableFor "aarch64-linux";
            # Lets home modules read the hostname.
            osConfig = config;
          };
          users.alice = { imports = [ ../home-alice.nix ]; };
        };
      })
    ];
  };

  builder = mkSystem {
    hostname = "builder";
    system = "x86_64-linux";
    modules = [ { nix.settings.max-jobs = 8; } ];
  };
}
