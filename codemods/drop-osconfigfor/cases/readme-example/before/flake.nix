{
  outputs = { self, nixpkgs, home-manager, ... }:
    let
      # Borrow the host's configuration for the standalone profile.
      osConfigFor = system:
        if system == "aarch64-linux" then self.nixosConfigurations.pi.config
        else self.nixosConfigurations.desk.config;
      currentSystem = builtins.currentSystem;
    in
    {
      nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./desk.nix ];
      };
      nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./pi.nix ];
      };
      homeConfigurations.ann = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = {
          osConfig = osConfigFor currentSystem;
        };
        modules = [ ./home.nix ];
      };
    };
}
