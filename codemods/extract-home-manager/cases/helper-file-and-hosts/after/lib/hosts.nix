{ nixpkgs, home-manager, mkHomeManager }:
{
  mkHost = name: nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      { networking.hostName = name; }
      home-manager.nixosModules.home-manager
      (mkHomeManager { useUserPackages = true; userModule = ../home.nix; })
    ];
  };
}
