{ home-manager, nixpkgs, self, ... }:
{
  ann = home-manager.lib.homeManagerConfiguration {
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    extraSpecialArgs = { };
    modules = [ ../home.nix ];
  };
}
