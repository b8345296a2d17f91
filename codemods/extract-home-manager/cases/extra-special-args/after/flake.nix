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

      mkHomeManager = { isLaptop, hidpi ? null, extraImports ? [ ] }@args: {
        home-manager = {
          useGlobalPkgs = true;
          extraSpecialArgs = {
            inherit inputs self;
            isLaptop = isLaptop;
          }
            // (if args ? hidpi then { inherit hidpi; } else { });
          users.max.imports = [ ./home/common.nix ] ++ extraImports;
        };
      };
    in
    {
      nixosConfigurations = {
        laptop = mkHost "laptop" [
          home-manager.nixosModules.home-manager
          # Per-host flags the home modules read.
          (mkHomeManager {
            isLaptop = true;
            hidpi = true;
            extraImports = [ ./home/battery.nix ];
          })
        ];
        desktop = mkHost "desktop" [
          home-manager.nixosModules.home-manager
          (mkHomeManager {
            isLaptop = false;
            extraImports = [ ./home/gaming.nix ./home/streaming.nix ];
          })
        ];
      };
    };
}
