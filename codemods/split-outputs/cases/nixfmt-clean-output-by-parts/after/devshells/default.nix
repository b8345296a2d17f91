{ armPkgs, pkgs, ... }:
{
  x86_64-linux.default = pkgs.mkShell {
    packages = [
      pkgs.git
      pkgs.jq
    ];
    shellHook = ''
      echo "x86 shell"
    '';
  };

  # The ARM box has less memory:
  # keep its shell small.
  aarch64-linux.default = armPkgs.mkShell {
    packages = [ armPkgs.git ];
  }; # no shellHook here
}
