{ nixpkgs, eachSystem }:
eachSystem (s:
  let
    pkgs = nixpkgs.legacyPackages.${s};
  in
  {
    # One shell per system, named after it.
    default = pkgs.mkShell { name = "shell-${s}"; };
  })
