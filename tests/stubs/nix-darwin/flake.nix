# A stub of nix-darwin for flake-refactor's `--verify` tests:
# `lib.darwinSystem` works like the nixpkgs stub's `nixosSystem` (it uses the
# stub machinery of its `nixpkgs` input) and returns `system`, a derivation
# whose drvPath depends on everything it was given.
{
  description = "flake-refactor test stub of nix-darwin";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs = { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
    in
    {
      lib.darwinSystem = { system ? "aarch64-darwin", modules ? [ ], specialArgs ? { }, ... }:
        let
          pkgs = lib.stub.mkPkgs {
            inherit system;
            config = ev.config.nixpkgs.config or { };
            overlays = ev.config.nixpkgs.overlays or [ ];
          };
          ev = lib.stub.evalModules {
            inherit modules;
            args = { inherit lib pkgs; } // specialArgs;
          };
          toplevel = lib.stub.mkDrv system "darwin-system-stub" {
            inherit system;
            specialArgs = lib.stub.describe specialArgs;
            modules = ev.description;
          };
        in
        {
          inherit pkgs;
          system = toplevel;
          config = ev.config // { system = (ev.config.system or { }) // { build.toplevel = toplevel; }; };
        };
      darwinModules = { };
    };
}
