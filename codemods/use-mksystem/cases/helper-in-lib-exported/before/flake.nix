{
  description = "The helper lives in lib/, bound in the outputs' let and exported as an output too";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Shared functions, also offered to other flakes.
      lib = import ./lib { inherit inputs; };
    in
    {
      inherit lib;
      nixosConfigurations = {
        a = lib.mkSystem { hostname = "a"; };
        # Never migrated: one more module, written from the flake's directory.
        b = inputs.nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/b.nix
            ./modules
            ./modules/gaming.nix
          ];
        };
      };
    };
}
