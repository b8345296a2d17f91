{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { nixpkgs, home-manager, ... }:
    let
      user = "kim";

      mkHomeManager = { userName }: {
        home-manager = {
          useGlobalPkgs = true;
          users.${userName} = import ./home/kim.nix;
        };
      };
    in
    {
      nixosConfigurations.tower = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { networking.hostName = "tower"; }
          home-manager.nixosModules.home-manager
          (mkHomeManager { userName = user; })
        ];
      };
      nixosConfigurations.mini = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { networking.hostName = "mini"; }
          home-manager.nixosModules.home-manager
          # Written out before the `user` binding existed.
          (mkHomeManager { userName = "kim"; })
        ];
      };
    };
}
