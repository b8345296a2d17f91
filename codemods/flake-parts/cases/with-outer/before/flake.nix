{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    with nixpkgs.lib;
    {
      packages = genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
        default = nixpkgs.legacyPackages.${system}.tmux;
      });

      lib.hosts = attrNames (builtins.readDir ./hosts);
    };
}
