# Hosts are listed in ./hosts/default.nix; each has ./hosts/<name>.nix.
{
  description = "frank's homelab";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      hostNames = import ./hosts;
    in
    {
      nixosConfigurations = nixpkgs.lib.genAttrs hostNames (
        name:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${name}.nix
            { networking.hostName = name; }
          ];
        }
      );
    };
}
