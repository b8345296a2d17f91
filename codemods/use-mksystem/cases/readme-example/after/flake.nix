{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = {
        hostname,
        system ? "x86_64-linux",
        extraModules ? [ ],
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${hostname}.nix ] ++ extraModules;
        };
    in
    {
      nixosConfigurations = {
        laptop = mkSystem { hostname = "laptop"; };
        # Never migrated: another system, one more module.
        pi = mkSystem {
          hostname = "pi";
          system = "aarch64-linux";
          extraModules = [
            { hardware.enableRedistributableFirmware = true; }
          ];
        };
      };
    };
}
