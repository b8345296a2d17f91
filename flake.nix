{
  description = "flake-refactor: lossless, verified refactorings of Nix flake repositories";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      cargoToml = builtins.fromTOML (builtins.readFile ./Cargo.toml);

      # The package, for any package set (the overlay uses it too).
      mkFlakeRefactor =
        pkgs:
        pkgs.rustPlatform.buildRustPackage {
          pname = cargoToml.package.name;
          version = cargoToml.package.version;
          src = pkgs.lib.cleanSource ./.;
          cargoLock.lockFile = ./Cargo.lock;
          # libgit2 and zlib are built from source by their -sys crates.
          nativeBuildInputs = [ pkgs.pkg-config ];
          buildInputs = [ pkgs.zlib ];
          # The tests drive git; the ones that need Nix skip themselves.
          nativeCheckInputs = [ pkgs.git ];
          preCheck = ''
            export HOME=$TMPDIR
          '';
          postInstall = ''
            mkdir -p $out/share/man/man1
            $out/bin/flake-refactor manpage --out-dir $out/share/man/man1
            for shell in bash fish zsh; do
              mkdir -p $out/share/completions
              $out/bin/flake-refactor completions $shell > $out/share/completions/flake-refactor.$shell
            done
            install -Dm644 $out/share/completions/flake-refactor.bash \
              $out/share/bash-completion/completions/flake-refactor
            install -Dm644 $out/share/completions/flake-refactor.fish \
              $out/share/fish/vendor_completions.d/flake-refactor.fish
            install -Dm644 $out/share/completions/flake-refactor.zsh \
              $out/share/zsh/site-functions/_flake-refactor
          '';
          meta = {
            description = cargoToml.package.description;
            license = pkgs.lib.licenses.mit;
            mainProgram = "flake-refactor";
          };
        };
    in
    {
      overlays.default = final: prev: { flake-refactor = mkFlakeRefactor final; };

      packages = forAllSystems (pkgs: {
        flake-refactor = mkFlakeRefactor pkgs;
        default = self.packages.${pkgs.stdenv.hostPlatform.system}.flake-refactor;
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/flake-refactor";
          meta.description = "Review a flake's architecture and apply verified refactorings";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.stdenv.hostPlatform.system}.default ];
          packages = [
            pkgs.cargo
            pkgs.rustc
            pkgs.clippy
            pkgs.rustfmt
            pkgs.rust-analyzer
            pkgs.nix
            pkgs.git
          ];
        };
      });

      checks = forAllSystems (
        pkgs:
        let
          package = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        in
        {
          # The build, with the test suite (`cargo test`).
          inherit package;

          # `cargo clippy --all-targets -- -D warnings`, offline with the
          # vendored dependencies of the package.
          clippy = package.overrideAttrs (old: {
            pname = "flake-refactor-clippy";
            nativeBuildInputs = old.nativeBuildInputs ++ [ pkgs.clippy ];
            buildPhase = ''
              runHook preBuild
              cargo clippy --all-targets --offline -- -D warnings
              runHook postBuild
            '';
            doCheck = false;
            installPhase = ''
              touch $out
            '';
            postInstall = "";
          });

          # The tool reviews its own example: every format renders, and the
          # example has no error-level finding.
          review =
            pkgs.runCommand "flake-refactor-review-hybrid"
              {
                nativeBuildInputs = [ package ];
              }
              ''
                cp -r ${./examples/hybrid} hybrid
                chmod -R u+w hybrid
                flake-refactor review --flake hybrid --fail-on error
                flake-refactor review --flake hybrid --fail-on never --format sarif > review.sarif
                flake-refactor review --flake hybrid --fail-on never --format json > review.json
                mkdir $out
                cp review.sarif review.json $out/
              '';
        }
      );

      formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
