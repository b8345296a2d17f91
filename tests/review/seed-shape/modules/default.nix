{ ... }: { imports = [ ./ssh.nix ]; }
