{
  description = "A helper nobody calls, alone in its let";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/a.nix ];
      };
    };
}
