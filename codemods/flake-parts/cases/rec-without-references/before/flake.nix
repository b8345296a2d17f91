{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
    in
    # `rec` out of habit: nothing here refers to a sibling.
    rec {
      packages = forAllSystems (system: {
        default = nixpkgs.legacyPackages.${system}.fzf;
      });
      overlays.default = final: prev: { fzf-wrapped = prev.fzf; };
    };
}
