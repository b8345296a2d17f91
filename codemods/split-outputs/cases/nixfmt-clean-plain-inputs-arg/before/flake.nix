# Raspberry Pi 4 running Home Assistant.
{
  description = "home automation pi";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs =
    inputs:
    let
      inherit (inputs) nixpkgs;
    in
    {
      nixosConfigurations = {
        pi = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            inputs.nixos-hardware.nixosModules.raspberry-pi-4
            ./pi/configuration.nix
          ];
        };
      };
    };
}
