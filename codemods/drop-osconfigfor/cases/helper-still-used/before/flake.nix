{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      hostFor = system: if system == "aarch64-linux" then "pi" else "box";
      # Also used by the checks below, so it must stay.
      osConfigFor = system: self.nixosConfigurations.${hostFor system}.config;
    in
    {
      nixosConfigurations = {
        box = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./box.nix ]; };
        pi = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./pi.nix ]; };
      };

      homeConfigurations.sam = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = { osConfig = osConfigFor "x86_64-linux"; };
        modules = [
          ({ lib, osConfig ? null, ... }: {
            home.username = "sam";
            home.sessionVariables.HOST = lib.optionalString (osConfig != null) osConfig.networking.hostName;
          })
        ];
      };

      checks.x86_64-linux.box = (osConfigFor "x86_64-linux").system.build.toplevel;
    };
}
