# Two identical kiosks; everything comes from `with nixpkgs.lib`.
{
  description = "library kiosks";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    with nixpkgs.lib;
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs self; };

      checks.x86_64-linux = mapAttrs (_: c: c.config.system.build.toplevel) self.nixosConfigurations;
    };
}
