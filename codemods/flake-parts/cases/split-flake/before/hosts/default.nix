{ inputs, self }:
{
  # The only machine so far.
  tower = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs self; };
    modules = [ ./tower.nix self.nixosModules.default ];
  };
}
