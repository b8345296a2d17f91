{ inputs, ... }:
let
  inherit (inputs) nixpkgs;
in
{
  pi = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      inputs.nixos-hardware.nixosModules.raspberry-pi-4
      ../pi/configuration.nix
    ];
  };
}
