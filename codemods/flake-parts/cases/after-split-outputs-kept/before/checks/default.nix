# The packages are the checks.
{ forAllSystems, nixpkgs, ... }:
import ../packages { inherit forAllSystems nixpkgs; }
