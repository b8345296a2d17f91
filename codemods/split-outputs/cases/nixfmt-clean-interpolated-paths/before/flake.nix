# One directory per machine under ./machines; the host list is read from
# the file system.
{
  description = "fish-named servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
    in
    {
      nixosConfigurations =
        lib.genAttrs
          (builtins.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ./machines)))
          (
            name:
            lib.nixosSystem {
              system = "x86_64-linux";
              specialArgs = {
                inherit self;
                flakeRoot = ./.;
              };
              modules = [
                ./machines/${name}/configuration.nix
                {
                  networking.hostName = name;
                  nix.nixPath = [ "nixpkgs=${nixpkgs}" ];
                  # Decrypted at activation time; this is only the lookup path.
                  environment.variables.SECRETS_DIR = "${self}/secrets";
                }
              ];
            }
          );
    };
}
