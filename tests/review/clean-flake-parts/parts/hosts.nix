{ inputs, ... }:
{
  flake.nixosConfigurations.quarry = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../hosts/quarry.nix ];
  };
}
