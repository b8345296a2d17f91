{
  description = "The helper lives in lib/ and is exported as self.lib.mkSystem";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs: {
    lib = import ./lib { inherit inputs; };
    nixosConfigurations = {
      a = self.lib.mkSystem { hostname = "a"; };
      b = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/b.nix ./modules ];
      };
    };
  };
}
