{
  nixpkgs,
  pkgsFor,
  self,
  ...
}:
nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
  inherit (self.packages.${system}) restart-units;
})
