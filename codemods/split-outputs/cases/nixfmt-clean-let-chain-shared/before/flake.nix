# Personal shell scripts packaged with writeShellApplication.
{
  description = "mallory's scripts";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      # One package set per system, shared by packages and devShells.
      pkgsFor =
        system:
        import nixpkgs {
          inherit system;
          config.allowUnfree = true;
        };

      # Package ./scripts/<name>.sh; only `packages` uses this.
      mkPkg =
        system: name:
        (pkgsFor system).writeShellApplication {
          inherit name;
          runtimeInputs = [ (pkgsFor system).rsync ];
          text = builtins.readFile ./scripts/${name}.sh;
        };
    in
    {
      packages = forAllSystems (system: {
        backup = mkPkg system "backup";
        sync-notes = mkPkg system "sync-notes";
        default = (pkgsFor system).symlinkJoin {
          name = "mallory-scripts";
          paths = [
            (mkPkg system "backup")
            (mkPkg system "sync-notes")
          ];
        };
      });

      devShells = forAllSystems (
        system:
        let
          pkgs = pkgsFor system;
        in
        {
          default = pkgs.mkShell {
            packages = [
              pkgs.shellcheck
              pkgs.shfmt
            ];
          };
        }
      );
    };
}
