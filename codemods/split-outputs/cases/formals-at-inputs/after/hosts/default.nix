{
  commonModules,
  inputs,
  self,
  ...
}:
let
  inherit (inputs) nixpkgs;

  mkHost = name: system: nixpkgs.lib.nixosSystem {
    inherit system;
    specialArgs = { inherit inputs self; };
    modules = commonModules ++ [
      ../systems/${name}.nix
      { networking.hostName = name; }
    ];
  };
in
{
  wren = mkHost "wren" "x86_64-linux";
  osprey = mkHost "osprey" "aarch64-linux";
}
