# Every file in ./hosts is a host; a new hosts/default.nix would become one.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
      hostFiles = builtins.attrNames (builtins.readDir ./hosts);
    in
    {
      nixosConfigurations = lib.genAttrs (map (lib.removeSuffix ".nix") hostFiles) (
        name:
        lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/${name}.nix ];
        }
      );
    };
}
