{ nixpkgs, home-manager, inputs }:
let
  # Home Manager sees a smaller set here.
  inputs = { inherit nixpkgs; };
in
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "desk"; }
    home-manager.nixosModules.home-manager
    {
      home-manager = {
        useGlobalPkgs = true;
        useUserPackages = true;
        extraSpecialArgs = { inherit inputs; };
        users.ann = import ../../home/ann.nix;
      };
    }
  ];
}
