{ nixpkgs, self, ... }:
{
  a = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../../modules/common.nix
      ../hosts-config/a.nix
      { system.configurationRevision = self.rev or null; }
    ];
  };
}
