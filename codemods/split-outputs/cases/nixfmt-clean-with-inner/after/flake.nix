# A toolbox VM; the inline module has its own `pkgs`, unrelated to the
# `pkgs` bound in the let below.
{
  description = "toolbox VM";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs system; };

      devShells = import ./devshells { inherit nixpkgs system; };
    };
}
