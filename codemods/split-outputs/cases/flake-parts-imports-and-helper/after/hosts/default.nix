{ inputs, self, ... }:
let
  inherit (inputs) home-manager nixpkgs;
  # Every host gets Home Manager and the shared module.
  mkHost = name: nixpkgs.lib.nixosSystem {
    specialArgs = { inherit inputs self; };
    modules = [
      ../machines/${name}.nix
      home-manager.nixosModules.home-manager
    ];
  };
in
{
  # Lab machines (Raum 2.14).
  flake.nixosConfigurations.zinc = mkHost "zinc";
  flake.nixosConfigurations.tin = nixpkgs.lib.nixosSystem {
    modules = [
      ../machines/tin.nix
      { networking.hostName = "tin"; }
    ];
  };
}
