{ home-manager, nixpkgs, self, ... }:
let
  # Borrow the host's configuration for the standalone profile.
  osConfigFor = system:
    if system == "aarch64-linux" then self.nixosConfigurations.pi.config
    else self.nixosConfigurations.desk.config;
  currentSystem = builtins.currentSystem;
in
{
  ann = home-manager.lib.homeManagerConfiguration {
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    extraSpecialArgs = {
      osConfig = osConfigFor currentSystem;
    };
    modules = [ ../home.nix ];
  };
}
