{ inputs, mkHomeManager, ... }:
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
      (mkHomeManager { userModule = { imports = [ ../home/studio.nix ]; }; })
    ];
  };
}
