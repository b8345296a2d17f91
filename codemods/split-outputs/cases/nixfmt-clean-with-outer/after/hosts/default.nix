{ nixpkgs, self, ... }:
with nixpkgs.lib;
genAttrs [ "lark" "finch" ] (
  name:
  nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit self; };
    modules = [
      ../machines/${name}.nix
      {
        networking.hostName = mkDefault name;
        services.cage.enable = true;
      }
    ];
  }
)
