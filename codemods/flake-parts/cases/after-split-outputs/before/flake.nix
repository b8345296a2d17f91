# Laptop and build box, after `split-outputs`: every output in its own file.
{
  description = "Two hosts, a few tools and the shells to hack on them";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # The build box is aarch64; the Mac only gets shells and apps.
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    {
      nixosConfigurations = import ./hosts { inherit inputs self; };

      # Linux only: the wrappers call systemctl.
      packages = import ./packages { inherit pkgsFor; };

      checks = import ./checks { inherit nixpkgs pkgsFor self; };

      # Same shell everywhere.
      devShells = import ./devshells { inherit forAllSystems pkgsFor; };

      apps = import ./apps {
        inherit
          forAllSystems
          pkgsFor
          self
          ;
      };

      formatter = forAllSystems (system: (pkgsFor system).nixpkgs-fmt);
    };
}
