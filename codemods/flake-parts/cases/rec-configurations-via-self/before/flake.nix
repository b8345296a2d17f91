{
  description = "Standalone Home Manager reading a host of the rec outputs";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    rec {
      nixosConfigurations.lark = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./lark.nix ];
      };
      homeConfigurations."ada@lark" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./home.nix ];
        # the host's settings, for the prompt
        extraSpecialArgs.hostName = nixosConfigurations.lark.config.networking.hostName;
      };
      packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
    };
}
