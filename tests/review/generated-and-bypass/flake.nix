# Hosts made by `mapAttrs` over a `let`-bound set, merged with `//` with
# one host that calls the builder directly.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      machines = {
        north = { system = "x86_64-linux"; };
        south = { system = "aarch64-linux"; };
      };
      mkHost = name: cfg:
        nixpkgs.lib.nixosSystem {
          inherit (cfg) system;
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/${name}.nix ];
        };
    in
    {
      nixosConfigurations = nixpkgs.lib.mapAttrs mkHost machines // {
        # the installer
        east = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/east.nix ./hosts/installer.nix ];
        };
      };
    };
}
