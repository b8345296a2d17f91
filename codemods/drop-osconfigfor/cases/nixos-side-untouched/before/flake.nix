# Reads of self.nixosConfigurations that are not a standalone Home Manager
# configuration's special argument: none of them may change.
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.node = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      # NixOS modules may look at the other hosts (for /etc/hosts, say).
      specialArgs = { inherit inputs; allHosts = self.nixosConfigurations; };
      modules = [
        ./node.nix
        home-manager.nixosModules.home-manager
        ({ config, ... }: {
          home-manager.useGlobalPkgs = true;
          # Home Manager as a NixOS module: osConfig is the real thing here.
          home-manager.extraSpecialArgs = { osConfig = config; };
          home-manager.users.ops = import ./home/ops.nix;
        })
      ];
    };

    # A standalone profile that passes no NixOS configuration.
    homeConfigurations.ops = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      extraSpecialArgs = { inherit inputs; hostLabel = "standalone"; };
      modules = [ ./home/ops.nix ];
    };

    checks.x86_64-linux.node = self.nixosConfigurations.node.config.system.build.toplevel;
  };
}
