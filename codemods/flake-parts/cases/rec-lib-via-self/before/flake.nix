{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    rec {
      lib.mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ { networking.hostName = name; } ];
      };
      nixosConfigurations.box = lib.mkHost "box";
    };
}
