# A flake formatted with nixpkgs-fmt.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = {
      dove = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/dove.nix ];
      };
    };

    formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixpkgs-fmt;
  };
}
