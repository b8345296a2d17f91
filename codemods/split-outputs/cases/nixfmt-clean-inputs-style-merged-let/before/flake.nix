# Hosts built by a helper that uses several inputs; the hosts' value has
# its own `let`.
{
  description = "frank's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      nixos-hardware,
      ...
    }@inputs:
    let
      # Every host is built the same way.
      mkHost =
        name: extra:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs self; };
          modules = [
            ./machines/${name}.nix
            home-manager.nixosModules.home-manager
          ]
          ++ extra;
        };
    in
    {
      nixosConfigurations =
        let
          # Laptops get the hardware profile.
          laptop = [ nixos-hardware.nixosModules.framework-13-7040-amd ];
        in
        {
          stork = mkHost "stork" laptop;
          crane = mkHost "crane" [ ];
        };
    };
}
