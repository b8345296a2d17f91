{
  description = "Hosts with a let of their own";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;

      mkSystem = {
        diskArg,
        hostModule,
      }:
        let
          disk = diskArg;
        in
        lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            hostModule
            { boot.loader.grub.device = disk; }
          ];
        };
    in
    {
      nixosConfigurations = {
        alpha =
          mkSystem {
            diskArg = "/dev/sda";
            hostModule = ./hosts/alpha.nix;
          };
        beta =
          mkSystem {
            diskArg = "/dev/nvme0n1";
            hostModule = ./hosts/beta.nix;
          };
      };
    };
}
