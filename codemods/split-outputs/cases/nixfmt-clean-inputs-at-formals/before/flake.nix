# carol's laptop and workstation, plus a standalone Home Manager profile
# for the shared lab machine.
{
  description = "carol's NixOS machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    inputs@{
      self,
      nixpkgs,
      home-manager,
      ...
    }:
    {
      nixosConfigurations = {
        # ThinkPad X1, the daily driver
        kestrel = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./machines/kestrel.nix
            home-manager.nixosModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.useUserPackages = true;
              home-manager.users.carol = import ./users/carol.nix;
            }
          ];
        };

        # Desktop under the desk; no Home Manager here.
        heron = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./machines/heron.nix
            { system.configurationRevision = self.rev or self.dirtyRev or null; }
          ];
        };
      };

      homeConfigurations = {
        # Lab machine runs Ubuntu, so Home Manager is standalone there.
        "carol@lab" = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit inputs; };
          modules = [
            ./users/carol.nix
            { home.homeDirectory = "/home/carol"; }
          ];
        };
      };
    };
}
