{
  description = "A curried helper, partially applied per host";
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
      mkHost = name: { system ? "x86_64-linux" }:
        lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${name}.nix ./modules ];
        };
      # Every x86 host: mkHost applied to its name only.
      mkX86 = name: mkHost name { };
    in
    {
      nixosConfigurations = {
        a = mkX86 "a";
        b = mkHost "b" { system = "aarch64-linux"; };
        c = lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/c.nix ./modules ./modules/gaming.nix ];
        };
      };
    };
}
