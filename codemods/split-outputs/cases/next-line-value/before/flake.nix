# Values that start on the line after their `=`.
{
  description = "erin's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }: {
    nixosConfigurations =
      {
        # The only host.
        robin = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./machines/robin.nix ];
        };
      };

    homeConfigurations =
      let
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
      in
      {
        erin = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          modules = [ { home.username = "erin"; } ];
        };
      };

    devShells.x86_64-linux.default =
      nixpkgs.legacyPackages.x86_64-linux.mkShell {
        packages = [ ];
      };
    devShells.aarch64-linux.default =
      nixpkgs.legacyPackages.aarch64-linux.mkShell {
        packages = [ ];
      };
  };
}
