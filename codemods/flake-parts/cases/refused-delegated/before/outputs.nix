{ nixpkgs, ... }:
{
  packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
}
