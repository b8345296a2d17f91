# Outputs as a `rec` set: checks read nixosConfigurations directly.
{
  description = "erin's render farm";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: rec {
    lib = import ./lib { inherit nixpkgs; };

    nixosConfigurations = import ./hosts { inherit lib; };

    checks = import ./checks { inherit nixosConfigurations; };
  };
}
