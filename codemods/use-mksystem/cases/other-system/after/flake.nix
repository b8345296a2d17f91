{
  description = "The helper hard-codes x86_64-linux; the Pi is aarch64";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = host:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/${host}.nix ./modules ];
        };
      mkServer = {
        host,
        system ? "x86_64-linux",
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${host}.nix ./modules ];
        };
    in
    {
      nixosConfigurations = {
        web = mkServer { host = "web"; };
        pi = mkServer {
          host = "pi";
          system = "aarch64-linux";
        };
        old = mkSystem "old";
      };
    };
}
