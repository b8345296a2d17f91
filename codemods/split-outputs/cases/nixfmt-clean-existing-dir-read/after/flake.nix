# Every file in ./hosts is a host; a new hosts/default.nix would become one.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    {
      nixosConfigurations = import ./nixos { inherit nixpkgs; };
    };
}
