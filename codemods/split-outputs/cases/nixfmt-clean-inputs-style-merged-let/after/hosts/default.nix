{ inputs, self, ... }:
let
  inherit (inputs) home-manager nixos-hardware nixpkgs;

  # Every host is built the same way.
  mkHost =
    name: extra:
    nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs self; };
      modules = [
        ../machines/${name}.nix
        home-manager.nixosModules.home-manager
      ]
      ++ extra;
    };
  # Laptops get the hardware profile.
  laptop = [ nixos-hardware.nixosModules.framework-13-7040-amd ];
in
{
  stork = mkHost "stork" laptop;
  crane = mkHost "crane" [ ];
}
