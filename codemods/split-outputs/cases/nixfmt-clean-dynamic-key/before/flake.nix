{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      # The lab box is named after the building it sits in.
      hostname = "gamma";
    in
    {
      nixosConfigurations.${hostname} = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/gamma.nix ];
      };
      # The office router.
      nixosConfigurations.delta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./machines/delta.nix ];
      };
    };
}
