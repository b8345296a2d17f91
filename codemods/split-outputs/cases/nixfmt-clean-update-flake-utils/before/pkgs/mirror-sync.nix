# rsync wrapper that pulls the upstream mirror into /srv/mirror.
{ writeShellApplication, rsync }:
writeShellApplication {
  name = "mirror-sync";
  runtimeInputs = [ rsync ];
  text = ''
    rsync -a --delete "''${MIRROR_UPSTREAM:-rsync://mirror.example.org/pub}/" /srv/mirror/
  '';
}
