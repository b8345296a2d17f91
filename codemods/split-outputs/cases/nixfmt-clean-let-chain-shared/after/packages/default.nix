{ forAllSystems, pkgsFor, ... }:
let
  # Package ./scripts/<name>.sh; only `packages` uses this.
  mkPkg =
    system: name:
    (pkgsFor system).writeShellApplication {
      inherit name;
      runtimeInputs = [ (pkgsFor system).rsync ];
      text = builtins.readFile ../scripts/${name}.sh;
    };
in
forAllSystems (system: {
  backup = mkPkg system "backup";
  sync-notes = mkPkg system "sync-notes";
  default = (pkgsFor system).symlinkJoin {
    name = "mallory-scripts";
    paths = [
      (mkPkg system "backup")
      (mkPkg system "sync-notes")
    ];
  };
})
