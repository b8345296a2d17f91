{
  description = "Hosts in a rec set, one of them aliased as the default";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = inputs@{ self, nixpkgs, ... }:
    let
      mkSystem = {
        system ? "x86_64-linux",
        hostModule,
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ hostModule ./common.nix ];
        };
    in
    {
      nixosConfigurations = rec {
        # The workstation.
        a = mkSystem {
          hostModule = ./hosts/a.nix;
        };
        b = mkSystem {
          hostModule = ./hosts/b.nix;
        };
        # The Raspberry Pi in the hall.
        c = mkSystem {
          system = "aarch64-linux";
          hostModule = ./hosts/c.nix;
        };
        # `nixos-rebuild --flake .` on a machine without its own entry.
        default = a;
      };
    };
}
