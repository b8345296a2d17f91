{
  forAllSystems,
  pkgsFor,
  self,
  ...
}:
let
  # `nix run .#rev` prints the flake's revision.
  revApp = pkgs: {
    type = "app";
    program = "${pkgs.writeShellScript "rev" ''
      echo ${self.shortRev or "dirty"}
    ''}";
  };
in
forAllSystems (sys: {
  rev = revApp (pkgsFor sys);
})
