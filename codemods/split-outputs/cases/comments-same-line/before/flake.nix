# Comments written on the same line as let bindings: a comment before a
# binding belongs to it; one after a binding belongs to that binding.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      system = "x86_64-linux"; /* every host is x86 */ lib = nixpkgs.lib;
      /* only the hosts use this */ mkHost = name: lib.nixosSystem {
        inherit system;
        modules = [ ./hosts-config/${name}.nix ];
      };
    in
    {
      nixosConfigurations = {
        plover = mkHost "plover";
      };

      packages.${system}.default = nixpkgs.legacyPackages.${system}.hello;
    };
}
