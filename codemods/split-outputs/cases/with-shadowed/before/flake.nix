# The `with lib;` reads the outer `lib`; the inner `let` rebinds `lib`, so the
# `with` cannot be repeated in a new file with `lib` passed by name.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
    in
    with lib;
    let
      # Local additions, shadowing the `lib` the `with` above reads.
      lib = nixpkgs.lib // { hostNameFor = n: "box-${n}"; };
    in
    {
      nixosConfigurations = genAttrs [ "gull" ] (name: nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./machines/${name}.nix
          { networking.hostName = lib.hostNameFor name; }
        ];
      });
    };
}
