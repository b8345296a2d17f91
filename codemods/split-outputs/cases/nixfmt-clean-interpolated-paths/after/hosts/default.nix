{ nixpkgs, self, ... }:
let
  lib = nixpkgs.lib;
in
lib.genAttrs
  (builtins.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ../machines)))
  (
    name:
    lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = {
        inherit self;
        flakeRoot = ../.;
      };
      modules = [
        ../machines/${name}/configuration.nix
        {
          networking.hostName = name;
          nix.nixPath = [ "nixpkgs=${nixpkgs}" ];
          # Decrypted at activation time; this is only the lookup path.
          environment.variables.SECRETS_DIR = "${self}/secrets";
        }
      ];
    }
  )
