{ nixpkgs, home-manager, mkHost }:
{
  small = mkHost "small";
  big = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      {
        home-manager.useGlobalPkgs = true;
        home-manager.users.zoe = ../home.nix;
      }
    ];
  };
  huge = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = true;
        home-manager.users.zoe = ../home.nix;
      }
    ];
  };
}
