{
  outputs = { self, nixpkgs, home-manager, ... }:
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
        extraSpecialArgs = { };
        modules = [ ./home.nix ];
      };
    };
}
