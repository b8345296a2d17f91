{ nixpkgs, home-manager, inputs, ... }@args:
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    { networking.hostName = "nas"; }
    # Every argument, for the host's own modules.
    { _module.args.hostArgs = args; }
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
