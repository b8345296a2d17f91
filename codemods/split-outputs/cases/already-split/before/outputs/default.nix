# Every flake output. Paths are relative to this directory.
{ self, nixpkgs, home-manager, nixos-hardware, ... }@inputs:
{
  nixosConfigurations = {
    swift = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [
        nixos-hardware.nixosModules.framework-13-7040-amd
        ../machines/swift.nix
        home-manager.nixosModules.home-manager
        {
          home-manager.useGlobalPkgs = true;
          home-manager.users.grace.home.stateVersion = "24.11";
        }
      ];
    };
  };

  formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixpkgs-fmt;
}
