{ nixpkgs, home-manager, inputs, mkHomeManager, ... }:
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "nas"; }
    home-manager.nixosModules.home-manager
    # The NAS has its own user.
    (mkHomeManager { inherit inputs; user = "bob"; path = ../../home/bob.nix; })
  ];
}
