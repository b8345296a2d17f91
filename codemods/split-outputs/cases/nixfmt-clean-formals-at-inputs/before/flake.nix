# Two servers built by a small local helper.
{
  description = "dave's servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      # Every host gets these, and the eval check below uses them too.
      commonModules = [
        ./modules/base.nix
        ./modules/ssh.nix
      ];

      mkHost =
        name: system:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs self; };
          modules = commonModules ++ [
            ./systems/${name}.nix
            { networking.hostName = name; }
          ];
        };
    in
    {
      nixosConfigurations = {
        wren = mkHost "wren" "x86_64-linux";
        osprey = mkHost "osprey" "aarch64-linux";
      };

      checks = {
        x86_64-linux = {
          # The shared modules must evaluate on their own, in a container.
          common =
            (nixpkgs.lib.nixosSystem {
              system = "x86_64-linux";
              modules = commonModules ++ [ { boot.isContainer = true; } ];
            }).config.system.build.toplevel;
          wren = self.nixosConfigurations.wren.config.system.build.toplevel;
        };
      };
    };
}
