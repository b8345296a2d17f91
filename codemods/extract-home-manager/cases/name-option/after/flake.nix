{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";

      mkHome = { user, path }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          extraSpecialArgs = { inherit inputs; };
          users.${user} = import path;
        };
      };
    in
    {
      nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./desk.nix
          home-manager.nixosModules.home-manager
          (mkHome { user = "ann"; path = ./home/ann.nix; })
        ];
      };
      nixosConfigurations.nas = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          ./nas.nix
          home-manager.nixosModules.home-manager
          # Same settings as desk, another user.
          (mkHome { user = "bob"; path = ./home/bob.nix; })
        ];
      };
    };
}
