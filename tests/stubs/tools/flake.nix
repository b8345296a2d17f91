# A stub of an input whose own input (devshell) brings a nixpkgs, for the
# add-follows tests of a transitive follows (`tools/devshell/nixpkgs`).
{
  description = "flake-refactor test stub of an input with a nested nixpkgs";

  inputs.devshell.url = "github:numtide/devshell";

  outputs = { self, devshell }: {
    nixosModules.default = { ... }: { };
  };
}
