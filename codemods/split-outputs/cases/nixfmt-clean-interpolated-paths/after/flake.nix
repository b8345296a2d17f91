# One directory per machine under ./machines; the host list is read from
# the file system.
{
  description = "fish-named servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs self; };
    };
}
