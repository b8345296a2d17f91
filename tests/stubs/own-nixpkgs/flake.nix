# A stub of an input that brings its own nixpkgs and flake-utils (as agenix
# or deploy-rs do), for the add-follows tests: its lock entries are what
# `add-follows` makes follow the flake's own inputs.
{
  description = "flake-refactor test stub of an input with its own nixpkgs";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
  inputs.utils.url = "github:numtide/flake-utils";

  outputs = { self, nixpkgs, utils }: {
    lib.systems = utils.lib.defaultSystems;
    nixosModules.default = { ... }: { };
  };
}
