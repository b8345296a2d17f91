{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = { hostname }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/${hostname}.nix ];
        };
    in
    {
      nixosConfigurations = {
        laptop = mkSystem { hostname = "laptop"; };
        # Never migrated: another system, one more module.
        pi = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          modules = [
            ./hosts/pi.nix
            { hardware.enableRedistributableFirmware = true; }
          ];
        };
      };
    };
}
