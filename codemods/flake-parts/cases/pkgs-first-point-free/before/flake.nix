{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      eachSystem = f: nixpkgs.lib.genAttrs systems (system: f (import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      }));

      mkShells = pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.nodejs ]; };
      };
    in
    {
      devShells = eachSystem mkShells;
      packages = eachSystem (p: {
        default = p.nodejs;
      });
    };
}
