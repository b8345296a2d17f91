{ nixpkgs, home-manager, mkHost }:
let
  mkHomeManager = { useUserPackages ? null }@args: {
    home-manager = {
      useGlobalPkgs = true;
      users.zoe = ../home.nix;
    }
      // (if args ? useUserPackages then { inherit useUserPackages; } else { });
  };
in
{
  small = mkHost "small";
  big = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      (mkHomeManager { })
    ];
  };
  huge = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      (mkHomeManager { useUserPackages = true; })
    ];
  };
}
