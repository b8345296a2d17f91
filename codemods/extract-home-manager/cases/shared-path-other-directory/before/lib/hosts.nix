{ nixpkgs, home-manager }:
{
  mkHost = name: nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      { networking.hostName = name; }
      home-manager.nixosModules.home-manager
      {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = false;
        home-manager.users.kim = ./home.nix;
      }
    ];
  };
}
