# A stub of devshell, an input with a nixpkgs of its own, for the
# add-follows tests (reached through the tools stub).
{
  description = "flake-refactor test stub of devshell";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }: {
    lib = { };
  };
}
