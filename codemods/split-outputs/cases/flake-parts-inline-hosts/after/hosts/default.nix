{ inputs, ... }:
let
  inherit (inputs) nixpkgs;
in
{
  # The quarry office file server.
  flake.nixosConfigurations.quarry = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ./quarry.nix ];
  };
  flake.nixosConfigurations.slate = nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    modules = [ ./slate.nix ];
  };
}
