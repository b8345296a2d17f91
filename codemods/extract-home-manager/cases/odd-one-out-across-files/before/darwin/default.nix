{ inputs, ... }:
let
  inherit (inputs) nix-darwin home-manager;
in
{
  studio = nix-darwin.lib.darwinSystem {
    system = "aarch64-darwin";
    modules = [
      ../machines/studio.nix
      home-manager.darwinModules.home-manager
      # Home Manager on the Mac
      {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users."jo.doe".imports = [ ../home/studio.nix ];
          extraSpecialArgs = { inherit inputs; portable = true; };
        };
      }
    ];
  };
}
