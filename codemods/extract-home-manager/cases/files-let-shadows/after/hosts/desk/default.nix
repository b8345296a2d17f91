{ nixpkgs, home-manager, inputs, mkHomeManager }:
let
  # Home Manager sees a smaller set here.
  inputs = { inherit nixpkgs; };
in
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "desk"; }
    home-manager.nixosModules.home-manager
    (mkHomeManager { inherit inputs; user = "ann"; path = ../../home/ann.nix; })
  ];
}
