{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";

  outputs = { nixpkgs, home-manager, ... }:
    let
      user = "kim";
    in
    {
      nixosConfigurations.tower = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { networking.hostName = "tower"; }
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            home-manager.users.${user} = import ./home/kim.nix;
          }
        ];
      };
      nixosConfigurations.mini = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { networking.hostName = "mini"; }
          home-manager.nixosModules.home-manager
          {
            home-manager.useGlobalPkgs = true;
            # Written out before the `user` binding existed.
            home-manager.users.kim = import ./home/kim.nix;
          }
        ];
      };
    };
}
