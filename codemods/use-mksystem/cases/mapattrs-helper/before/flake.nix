{
  description = "Hosts generated with mapAttrs, plus one written out";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      mkHost = name: { system ? "x86_64-linux", extra ? [ ] }:
        lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${name}.nix ./modules ] ++ extra;
        };
    in
    {
      nixosConfigurations = lib.mapAttrs mkHost {
        a = { };
        b = { system = "aarch64-linux"; };
      };
      darwinConfigurations = { };
    };
}
