# A small Go web service, the host that runs it, and a dev shell.
{
  description = "status page";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      inherit (lib) genAttrs;
      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];
    in
    {
      nixosConfigurations = import ./hosts { inherit lib self; };

      packages = import ./packages {
        inherit
          genAttrs
          lib
          nixpkgs
          systems
          ;
      };

      devShells = import ./devshells { inherit genAttrs nixpkgs systems; };
    };
}
