# A helper that every host bypasses.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      # Meant for every host, but nobody switched to it.
      mkSystem =
        name:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./machines/${name}.nix ];
        };
    in
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs; };
    };
}
