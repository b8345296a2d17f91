# A stub of nixos-hardware for flake-refactor's `--verify` tests: a few
# module names, each a small file.
{
  description = "flake-refactor test stub of nixos-hardware";

  outputs = { self }: {
    nixosModules = {
      raspberry-pi-4 = ./raspberry-pi-4.nix;
      framework-13-7040-amd = ./framework.nix;
      lenovo-thinkpad-x1-9th-gen = ./thinkpad.nix;
      common-cpu-intel = ./thinkpad.nix;
    };
  };
}
