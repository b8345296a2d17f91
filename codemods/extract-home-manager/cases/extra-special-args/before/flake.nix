{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      mkHost = hostname: modules:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [ { networking.hostName = hostname; } ] ++ modules;
        };
    in
    {
      nixosConfigurations = {
        laptop = mkHost "laptop" [
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              # Per-host flags the home modules read.
              extraSpecialArgs = {
                inherit inputs self;
                isLaptop = true;
                hidpi = true;
              };
              users.max.imports = [
                ./home/common.nix
                ./home/battery.nix
              ];
            };
          }
        ];
        desktop = mkHost "desktop" [
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              extraSpecialArgs = {
                inherit inputs self;
                isLaptop = false;
              };
              users.max.imports = [
                ./home/common.nix
                ./home/gaming.nix
                ./home/streaming.nix
              ];
            };
          }
        ];
      };
    };
}
