{ writeShellApplication, restic }:
writeShellApplication {
  name = "backup";
  runtimeInputs = [ restic ];
  text = "restic backup /home";
}
