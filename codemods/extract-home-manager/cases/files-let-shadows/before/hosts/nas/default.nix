{ nixpkgs, home-manager, inputs, ... }:
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "nas"; }
    home-manager.nixosModules.home-manager
    {
      # The NAS has its own user.
      home-manager = {
        useGlobalPkgs = true;
        useUserPackages = true;
        extraSpecialArgs = { inherit inputs; };
        users.bob = import ../../home/bob.nix;
      };
    }
  ];
}
