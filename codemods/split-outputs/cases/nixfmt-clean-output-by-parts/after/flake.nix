# Outputs written by parts, one attribute path per system, as many flakes
# do without a forAllSystems helper.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      armPkgs = nixpkgs.legacyPackages.aarch64-linux;
    in
    {
      # The dev shells, one per system.
      devShells = import ./devshells { inherit armPkgs pkgs; };

      packages.x86_64-linux.default = pkgs.hello;
      packages.aarch64-linux.default = armPkgs.hello;
    };
}
