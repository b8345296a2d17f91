# Personal shell scripts packaged with writeShellApplication.
{
  description = "mallory's scripts";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      # One package set per system, shared by packages and devShells.
      pkgsFor =
        system:
        import nixpkgs {
          inherit system;
          config.allowUnfree = true;
        };
    in
    {
      packages = import ./packages { inherit forAllSystems pkgsFor; };

      devShells = import ./devshells { inherit forAllSystems pkgsFor; };
    };
}
