{
  description = "One host follows nixpkgs-unstable";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, ... }: {
    nixosConfigurations = {
      one = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/one.nix ./modules ];
      };
      two = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/two.nix ./modules ];
      };
      # Gaming box: wants the newest mesa.
      edge = nixpkgs-unstable.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/edge.nix ./modules ];
      };
    };
  };
}
