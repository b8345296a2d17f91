{
  description = "Three servers and an installer image";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs: let
    mkSystem = {
      hostModule,
    }:
      nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ hostModule ./modules ];
      };
  in
  {
    nixosConfigurations = {
      web = mkSystem {
        hostModule = ./hosts/web.nix;
      };
      db = mkSystem {
        hostModule = ./hosts/db.nix;
      };
      cache = mkSystem {
        hostModule = ./hosts/cache.nix;
      };
      # Bootable USB stick.
      iso = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          "${nixpkgs}/nixos/modules/profiles/minimal.nix"
          ./modules/installer.nix
          { isoImage.squashfsCompression = "zstd -Xcompression-level 6"; }
          { users.users.root.openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAA" ]; }
          { networking.wireless.enable = false; }
          { services.getty.autologinUser = "root"; }
        ];
      };
    };
  };
}
