{
  description = "A helper nobody calls";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      commonModules = [ ./modules ];
      # Left over from the migration.
      mkHost = hostname:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/${hostname}.nix ] ++ commonModules;
        };
      systems = [ "x86_64-linux" ];
    in
    {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/box.nix ./modules ];
      };
      inherit systems;
    };
}
