# Three machines of the Okafor household; Home Manager runs as a NixOS module.
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      # The host builder: every machine goes through it, except the Pi,
      # which needs the host's config in Home Manager.
      mkHost = {
        hostname,
        system,
        extraModules ? [ ],
        homeManager ? {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            # Keep the old dotfiles instead of failing the switch.
            backupFileExtension = "hm-backup";
            extraSpecialArgs = { inherit inputs hostname; };
            users.ada = import ./users/ada.nix;
          };
        },
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${hostname}.nix
            ./modules/common.nix
            { networking.hostName = hostname; }
            home-manager.nixosModules.home-manager
            homeManager
          ] ++ extraModules;
        };
    in
    {
      nixosConfigurations = {
        workstation = mkHost {
          hostname = "workstation";
          system = "x86_64-linux";
        };

        studio = mkHost {
          hostname = "studio";
          system = "x86_64-linux";
          extraModules = [ { services.pipewire.jack.enable = true; } ];
        };

        # The media box under the TV, written out before mkHost existed.
        media = mkHost {
          # Keep the old dotfiles instead of failing the switch.
          hostname = "media";
          system = "x86_64-linux";
        };

        # Raspberry Pi 4 in the hallway: a kiosk.
        pi = mkHost {
          hostname = "pi";
          system = "aarch64-linux";
          homeManager = { config, ... }: {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              # Keep the old dotfiles instead of failing the switch.
              backupFileExtension = "hm-backup";
              extraSpecialArgs = {
                inherit inputs;
                hostname = "pi";
                # The kiosk session reads the display settings.
                osConfig = config;
              };
              users.ada = import ./users/ada.nix;
            };
          };
        };
      };
    };
}
