{ nixpkgs, ... }:
let
  # The lab box is named after the building it sits in.
  hostname = "gamma";
in
{
  ${hostname} = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/gamma.nix ];
  };
  # The office router.
  delta = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/delta.nix ];
  };
}
