# Raspberry Pi 4 running Home Assistant.
{
  description = "home automation pi";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = inputs: {
    nixosConfigurations = import ./hosts { inherit inputs; };
  };
}
