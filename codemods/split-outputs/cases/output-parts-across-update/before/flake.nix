# `packages` appears in two sets joined by `//`: the right one replaces the
# left one's `packages` entirely, so moving both into one file would change
# the value. split-outputs leaves it alone.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    {
      packages.x86_64-linux.tool = nixpkgs.legacyPackages.x86_64-linux.writeShellScriptBin "tool" ''
        echo tool
      '';
    }
    // {
      packages.aarch64-linux.tool = nixpkgs.legacyPackages.aarch64-linux.writeShellScriptBin "tool" ''
        echo tool
      '';
    };
}
