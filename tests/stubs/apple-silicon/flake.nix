# A stub of nixos-apple-silicon for flake-refactor's `--verify` tests.
{
  description = "flake-refactor test stub of nixos-apple-silicon";

  outputs = { self }: {
    nixosModules = {
      apple-silicon-support = ./apple-silicon-support.nix;
      default = ./apple-silicon-support.nix;
    };
  };
}
