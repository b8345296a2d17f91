{ writeShellScriptBin }:
writeShellScriptBin "labels" ''
  lp -d labels "$@"
''
