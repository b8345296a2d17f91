{
  description = "Hosts in a rec set, one of them aliased as the default";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = inputs@{ self, nixpkgs, ... }:
    {
      nixosConfigurations = rec {
        # The workstation.
        a = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/a.nix ./common.nix ];
        };
        b = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/b.nix ./common.nix ];
        };
        # The Raspberry Pi in the hall.
        c = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          modules = [ ./hosts/c.nix ./common.nix ];
        };
        # `nixos-rebuild --flake .` on a machine without its own entry.
        default = a;
      };
    };
}
