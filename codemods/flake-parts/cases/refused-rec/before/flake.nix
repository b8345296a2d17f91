{
  description = "A check that reads a package of the rec outputs";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    rec {
      packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
      # built in CI
      checks.x86_64-linux.default = packages.x86_64-linux.default;
    };
}
