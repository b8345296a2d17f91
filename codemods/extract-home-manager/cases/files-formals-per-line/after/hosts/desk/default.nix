{
  nixpkgs,
  home-manager,
  inputs,
  mkHomeManager,
  ...
}:
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "desk"; }
    home-manager.nixosModules.home-manager
    (mkHomeManager {
      user = "ann";
      path = ../../home/ann.nix;
    })
  ];
}
