{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    flake-parts.url = "github:hercules-ci/flake-parts";
  };

  outputs = { self, nixpkgs, home-manager, flake-parts, ... }@inputs:
    let
      # Every host gets Home Manager and the shared module.
      mkHost = name: nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs self; };
        modules = [
          ./machines/${name}.nix
          home-manager.nixosModules.home-manager
        ];
      };
    in
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];

      imports = [
        ./parts/formatter.nix
      ];

      # Lab machines (Raum 2.14).
      flake.nixosConfigurations.zinc = mkHost "zinc";
      flake.nixosConfigurations.tin = nixpkgs.lib.nixosSystem {
        modules = [
          ./machines/tin.nix
          { networking.hostName = "tin"; }
        ];
      };

      perSystem = { pkgs, system, ... }: {
        packages.lab-report = pkgs.writeShellScriptBin "lab-report" ''
          echo "report for ${system}"
        '';
      };
    };
}
