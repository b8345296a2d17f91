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
      # which has no use for the host config in Home Manager.
      mkHost = {
        hostname,
        system,
        extraModules ? [ ],
        # Keep the old dotfiles instead of failing the switch.
        homeManager ? { config, ... }: mkHomeManager {
          inherit hostname;
          osConfig = config;
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

      mkHomeManager = { hostname, osConfig ? null }@args: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          backupFileExtension = "hm-backup";
          extraSpecialArgs = {
            inherit inputs;
            hostname = hostname;
          }
            // (if args ? osConfig then { inherit osConfig; } else { });
          users.ada = import ./users/ada.nix;
        };
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
          # Keep the old dotfiles instead of failing the switch.
          # The kiosk session reads the display settings.
          homeManager = mkHomeManager { hostname = "pi"; };
        };
      };
    };
}
