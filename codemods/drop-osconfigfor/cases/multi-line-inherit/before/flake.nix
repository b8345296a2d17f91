{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      ...
    }@inputs:
    let
      osConfig = self.nixosConfigurations.desk.config;
    in
    {
      nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./desk.nix ];
      };
      homeConfigurations.ann = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = {
          inherit
            inputs
            osConfig
            self
            ;
        };
        modules = [ ./home.nix ];
      };
    };
}
