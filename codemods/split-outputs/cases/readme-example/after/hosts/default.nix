{ commonModules, inputs, nixpkgs, self, ... }:
let
  mkHost = name: nixpkgs.lib.nixosSystem {
    specialArgs = { inherit inputs self; };
    modules = commonModules ++ [ ../systems/${name}.nix ];
  };
in
{
  wren = mkHost "wren";
}
