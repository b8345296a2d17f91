{
  description = "lib/ is given another nixpkgs than the hosts' own";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, ... }:
    let
      # The helper's `nixpkgs` is unstable here.
      lib = import ./lib { nixpkgs = nixpkgs-unstable; };
    in
    {
      nixosConfigurations = {
        a = lib.mkSystem { hostname = "a"; };
        # Stable: calling the helper would move it to unstable.
        b = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/b.nix
            ./modules
            { programs.git.enable = true; }
          ];
        };
      };
    };
}
