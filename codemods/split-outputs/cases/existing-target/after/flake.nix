# Hosts are listed in ./hosts/default.nix; each has ./hosts/<name>.nix.
{
  description = "frank's homelab";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }@inputs:
    {
      nixosConfigurations = import ./nixos { inherit inputs; };
    };
}
