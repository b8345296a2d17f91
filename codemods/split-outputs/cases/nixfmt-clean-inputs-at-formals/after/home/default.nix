{ inputs, ... }:
let
  inherit (inputs) home-manager nixpkgs;
in
{
  # Lab machine runs Ubuntu, so Home Manager is standalone there.
  "carol@lab" = home-manager.lib.homeManagerConfiguration {
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    extraSpecialArgs = { inherit inputs; };
    modules = [
      ../users/carol.nix
      { home.homeDirectory = "/home/carol"; }
    ];
  };
}
