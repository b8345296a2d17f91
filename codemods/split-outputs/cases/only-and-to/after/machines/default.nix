{ inputs, ... }:
let
  inherit (inputs) nixpkgs;
in
{
  owl = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [ ../systems/owl.nix ];
  };
  puffin = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [ ../systems/puffin.nix ];
  };
}
