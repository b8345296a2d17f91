# A stub of nix-systems/default for flake-refactor's `--verify` tests: the
# flake has no outputs; `import systems` reads default.nix, the list.
{
  description = "flake-refactor test stub of nix-systems";

  outputs = { self }: { };
}
