{
  description = "Every host goes through mkSystem already";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = { hostname, system ? "x86_64-linux" }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${hostname}.nix ./modules ];
        };
    in
    {
      nixosConfigurations = {
        a = mkSystem { hostname = "a"; };
        b = mkSystem { hostname = "b"; system = "aarch64-linux"; };
      };
    };
}
