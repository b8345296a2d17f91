{ inputs, self, ... }:
{
  # The laptop.
  lap = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs self; };
    modules = [ ./lap.nix ];
  };
}
