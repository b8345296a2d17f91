{
  commonModules,
  inputs,
  self,
  ...
}:
let
  inherit (inputs) nixpkgs;

  mkHost = name: nixpkgs.lib.nixosSystem {
    specialArgs = { inherit inputs self; };
    modules = commonModules ++ [ ../systems/${name}.nix ];
  };
in
{
  wren = mkHost "wren";
}
