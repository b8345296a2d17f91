{ home-manager, nixpkgs, ... }:
let
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
in
{
  erin = home-manager.lib.homeManagerConfiguration {
    inherit pkgs;
    modules = [ { home.username = "erin"; } ];
  };
}
