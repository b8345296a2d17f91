{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      # Borrow the workstation's configuration for every standalone profile.
      osConfigFor = host: self.nixosConfigurations.${host}.config;
      # The module path is only known where mkHome is called.
      mkHome = modulePath: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.${system};
        extraSpecialArgs = {
          inherit inputs;
          osConfig = osConfigFor "workstation";
        };
        modules = [ modulePath ];
      };
    in
    {
      nixosConfigurations.workstation = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./workstation.nix ];
      };

      homeConfigurations = {
        lea = mkHome ./home/lea.nix;
        tomas = mkHome ./home/tomas.nix;
      };
    };
}
