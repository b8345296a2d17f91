{ nixpkgs, home-manager, mkHost, mkHomeManager }:
{
  small = mkHost "small";
  big = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      (mkHomeManager { userModule = ../home.nix; })
    ];
  };
  huge = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      home-manager.nixosModules.home-manager
      (mkHomeManager { useUserPackages = true; userModule = ../home.nix; })
    ];
  };
}
