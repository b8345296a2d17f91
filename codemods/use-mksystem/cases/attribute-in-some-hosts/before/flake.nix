{
  description = "No helper; one host sets specialArgs, the others do not";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations = {
      a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/a.nix ./modules ];
      };
      b = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/b.nix ./modules ];
      };
      c = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/c.nix ./modules ];
      };
    };
  };
}
