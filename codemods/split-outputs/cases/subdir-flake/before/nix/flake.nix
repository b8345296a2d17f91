# The flake lives in nix/ so the repository root stays free for the
# application code; shared modules sit one level up.
{
  description = "ivan's app servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = {
      a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ../modules/common.nix
          ./hosts-config/a.nix
          { system.configurationRevision = self.rev or null; }
        ];
      };
    };
  };
}
