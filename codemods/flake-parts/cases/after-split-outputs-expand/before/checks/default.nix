{
  nixpkgs,
  pkgsFor,
  self,
  ...
}:
# The dev shell builds: the check every system can run.
nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
  shell = self.devShells.${system}.default;
})
