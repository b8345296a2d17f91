{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./desk.nix
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              extraSpecialArgs = { inherit inputs; };
              users.ann = import ./home/ann.nix;
            };
          }
        ];
      };
      nixosConfigurations.nas = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./nas.nix
          home-manager.nixosModules.home-manager
          {
            # Same settings as desk, another user.
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              extraSpecialArgs = { inherit inputs; };
              users.bob = import ./home/bob.nix;
            };
          }
        ];
      };
    };
}
