//! `--verify` (src/evaluate.rs) against real Nix evaluations.
//!
//! The flakes' inputs are the stub flakes in `tests/stubs/` (nixpkgs,
//! home-manager, flake-utils, nixos-hardware, nix-darwin, apple-silicon),
//! locked with
//! `nix flake lock --override-input NAME path:tests/stubs/...`. Their
//! `nixosSystem`, `homeConfigurations` and packages are derivations whose
//! drvPath depends on everything they were given (see
//! `tests/stubs/nixpkgs/lib.nix`), so equal drvPaths mean equal inputs.
//!
//! These tests need `nix`; without it they are skipped, and with `CI` set
//! they fail.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::evaluate::{self, Status, VerifyReport};
use flake_refactor::workspace::{FileChange, Workspace};
use flake_refactor::Error;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Input name -> stub directory under `tests/stubs/`.
const STUBS: &[(&str, &str)] = &[
    ("nixpkgs", "nixpkgs"),
    ("nixpkgs-unstable", "nixpkgs"),
    ("home-manager", "home-manager"),
    ("flake-utils", "flake-utils"),
    ("flake-parts", "flake-parts"),
    ("nixos-hardware", "nixos-hardware"),
    ("nix-darwin", "nix-darwin"),
    ("nix-darwin/nixpkgs", "nixpkgs"),
    ("apple-silicon", "apple-silicon"),
    ("systems", "systems"),
];

/// Write `flake.lock` for the flake in `dir`, every known input locked to its stub.
fn lock(dir: &Path) {
    let mut cmd = Command::new("nix");
    cmd.args(["flake", "lock"])
        .arg(format!("path:{}", dir.display()))
        .env("NIX_CONFIG", "experimental-features = nix-command flakes");
    for (input, stub) in STUBS {
        cmd.arg("--override-input").arg(input).arg(format!(
            "path:{}",
            manifest().join("tests/stubs").join(stub).display()
        ));
    }
    let out = cmd.output().expect("run nix flake lock");
    assert!(
        out.status.success(),
        "nix flake lock failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The changes that turn the tree `before` into the tree `after`.
fn changes_between(before: &Path, after: &Path) -> Vec<FileChange> {
    let (b, a) = (common::read_tree(before), common::read_tree(after));
    let paths: BTreeSet<&PathBuf> = b.keys().chain(a.keys()).collect();
    let text = |bytes: Option<&Vec<u8>>| bytes.map(|v| String::from_utf8(v.clone()).unwrap());
    paths
        .into_iter()
        .filter(|p| b.get(*p) != a.get(*p))
        .map(|p| FileChange {
            path: p.clone(),
            old: text(b.get(p)),
            new: text(a.get(p)),
        })
        .collect()
}

fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn status_of<'a>(report: &'a VerifyReport, output: &str) -> &'a Status {
    &report
        .rows
        .iter()
        .find(|r| r.output() == output)
        .unwrap_or_else(|| panic!("no row {output} in\n{}", report.render()))
        .status
}

fn assert_all_identical(report: &VerifyReport, what: &str) {
    assert!(!report.rows.is_empty(), "{what}: no outputs");
    assert!(
        report.rows.iter().all(|r| r.status == Status::Identical),
        "{what}: not identical:\n{}",
        report.render()
    );
    assert!(!report.has_unexpected_changes());
    assert_eq!(report.evaluations, 2, "{what}: one evaluation per side");
}

/// Run split-outputs over the flake in `dir` (not writing anything).
fn split(dir: &Path) -> Vec<FileChange> {
    let codemod = codemods::find("split-outputs").unwrap();
    let mut ws = Workspace::new(dir);
    engine::run(
        &mut ws,
        Path::new("flake.nix"),
        &[codemod],
        &Options::default(),
    )
    .unwrap()
    .changes
}

/// Replace `from` by `to` in the new content of `path` among `changes`.
fn edit(changes: &mut [FileChange], path: &str, from: &str, to: &str) {
    let change = changes
        .iter_mut()
        .find(|c| c.path == Path::new(path))
        .unwrap_or_else(|| panic!("no change of {path}"));
    let new = change.new.as_mut().unwrap();
    assert!(new.contains(from), "{path} has no `{from}`:\n{new}");
    *new = new.replacen(from, to, 1);
}

// ---------------------------------------------------------------------------
// Every split-outputs case
// ---------------------------------------------------------------------------

#[test]
fn every_split_outputs_case_verifies_identical() {
    if !common::nix_available() {
        return;
    }
    let cases = manifest().join("codemods/split-outputs/cases");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for case in entries {
        let after = case.path().join("after");
        if !after.is_dir() {
            continue;
        }
        let name = case.file_name().to_string_lossy().into_owned();
        let before = case.path().join("before");
        // `--flake DIR` in `args` (subdir-flake) says where flake.nix is.
        let args = std::fs::read_to_string(case.path().join("args")).unwrap_or_default();
        let words: Vec<&str> = args.split_whitespace().collect();
        let flake_dir = words
            .windows(2)
            .find(|w| w[0] == "--flake")
            .map(|w| PathBuf::from(w[1]))
            .unwrap_or_default();

        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&before, dir.path());
        lock(&dir.path().join(&flake_dir));
        let changes = changes_between(&before, &after);
        assert!(!changes.is_empty(), "{name}: before and after are the same");
        let report = evaluate::verify(dir.path(), &flake_dir.join("flake.nix"), &changes, &[])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if std::env::var_os("SHOW_REPORTS").is_some() {
            eprintln!("== {name}\n{}", report.render());
        }
        assert_all_identical(&report, &name);
        seen += 1;
    }
    assert!(seen >= 15, "only {seen} cases with an after/ tree");
}

/// Every extract-home-manager case evaluates to the same outputs before
/// and after, with nothing declared (the stub of Home Manager's NixOS
/// module evaluates every user with the integration's settings).
#[test]
fn every_extract_home_manager_case_verifies_identical() {
    if !common::nix_available() {
        return;
    }
    let cases = manifest().join("codemods/extract-home-manager/cases");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for case in entries {
        let after = case.path().join("after");
        if !after.is_dir() {
            continue;
        }
        let name = case.file_name().to_string_lossy().into_owned();
        let before = case.path().join("before");
        let args = std::fs::read_to_string(case.path().join("args")).unwrap_or_default();
        let words: Vec<&str> = args.split_whitespace().collect();
        let flake_dir = words
            .windows(2)
            .find(|w| w[0] == "--flake")
            .map(|w| PathBuf::from(w[1]))
            .unwrap_or_default();
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&before, dir.path());
        lock(&dir.path().join(&flake_dir));
        let changes = changes_between(&before, &after);
        assert!(!changes.is_empty(), "{name}: before and after are the same");
        let report = evaluate::verify(dir.path(), &flake_dir.join("flake.nix"), &changes, &[])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if std::env::var_os("SHOW_REPORTS").is_some() {
            eprintln!("== {name}\n{}", report.render());
        }
        assert_all_identical(&report, &name);
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} cases with an after/ tree");
}

// ---------------------------------------------------------------------------
// Every use-mksystem case: the codemod is safe, so every output is identical

#[test]
fn every_use_mksystem_case_verifies_identical() {
    if !common::nix_available() {
        return;
    }
    let cases = manifest().join("codemods/use-mksystem/cases");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for case in entries {
        let after = case.path().join("after");
        if !after.is_dir() {
            continue;
        }
        let name = case.file_name().to_string_lossy().into_owned();
        let before = case.path().join("before");
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&before, dir.path());
        lock(dir.path());
        let changes = changes_between(&before, &after);
        assert!(!changes.is_empty(), "{name}: before and after are the same");
        let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if std::env::var_os("SHOW_REPORTS").is_some() {
            eprintln!("== {name}\n{}", report.render());
        }
        assert_all_identical(&report, &name);
        seen += 1;
    }
    assert!(
        seen >= 10,
        "only {seen} use-mksystem cases with an after/ tree"
    );
}

/// The main example: split-outputs changes no host, home, package, check
/// or dev shell (its formatting check reads the source through `self`,
/// which `--verify` holds fixed).
#[test]
fn the_example_verifies_identical() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    let changes = split(dir.path());
    let report = verify(dir.path(), &changes, &[]);
    assert!(report.rows.len() > 20, "{}", report.render());
    assert_all_identical(&report, "examples/hybrid");
    assert_eq!(report.evaluations, 2);
}

// ---------------------------------------------------------------------------
// A flake with a build-metadata module that interpolates `self`
// ---------------------------------------------------------------------------

const METADATA_FLAKE: &[(&str, &str)] = &[
    (
        "flake.nix",
        r#"# One host with Home Manager, a standalone Home Manager profile and a
# build-info package; the metadata module and the package read `self`.
{
  description = "verify fixture";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in
    {
      nixosConfigurations = {
        box = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./configuration.nix
            ./modules/metadata.nix
            home-manager.nixosModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.users.ann = import ./home/ann.nix;
            }
          ];
        };
      };

      homeConfigurations = {
        ann = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          modules = [ ./home/ann.nix ];
        };
      };

      packages = {
        x86_64-linux.default = pkgs.writeText "build-info" ''
          source: ${self}
          revision: ${self.shortRev or "dirty"}
        '';
      };
    };
}
"#,
    ),
    (
        "configuration.nix",
        r#"{ pkgs, ... }:
{
  networking.hostName = "box";
  environment.systemPackages = [ pkgs.git ];
  system.stateVersion = "24.11";
}
"#,
    ),
    // Not used by the flake: a non-rebased `./configuration.nix` in
    // hosts/default.nix would name it.
    (
        "hosts/configuration.nix",
        "{ networking.hostName = \"not-box\"; }\n",
    ),
    (
        "modules/metadata.nix",
        r#"# Build metadata, as real flakes have it.
{ inputs, ... }:
{
  system.configurationRevision = inputs.self.rev or inputs.self.dirtyRev or "unknown";
  environment.etc."flake-source".text = "${inputs.self}";
  environment.etc."flake-out-path".text = inputs.self.outPath;
  environment.etc."flake-info".text = builtins.toJSON inputs.self.sourceInfo;
}
"#,
    ),
    (
        "home/ann.nix",
        r#"{ pkgs, ... }:
{
  home.username = "ann";
  home.packages = [ pkgs.ripgrep ];
  home.stateVersion = "24.11";
}
"#,
    ),
];

/// A locked copy of the metadata flake.
fn metadata_flake() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), METADATA_FLAKE);
    lock(dir.path());
    dir
}

fn verify(dir: &Path, changes: &[FileChange], declared: &[&str]) -> VerifyReport {
    let declared: Vec<String> = declared.iter().map(|s| s.to_string()).collect();
    evaluate::verify(dir, Path::new("flake.nix"), changes, &declared)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_comment_only_change_is_identical() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let change = |path: &str, from: &str, to: &str| {
        let old = std::fs::read_to_string(dir.path().join(path)).unwrap();
        FileChange {
            path: path.into(),
            new: Some(old.replacen(from, to, 1)),
            old: Some(old),
        }
    };
    let changes = vec![
        change(
            "flake.nix",
            "  outputs =",
            "  # The outputs, unchanged.\n  outputs =",
        ),
        change(
            "modules/metadata.nix",
            "{ inputs",
            "# Reads self.\n{ inputs",
        ),
    ];
    let report = verify(dir.path(), &changes, &[]);
    assert_all_identical(&report, "comment-only change");
    for row in [
        "nixosConfigurations.box",
        "homeConfigurations.ann",
        "packages.x86_64-linux.default",
    ] {
        assert_eq!(status_of(&report, row), &Status::Identical);
    }
}

#[test]
fn a_pure_move_is_identical() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let changes = split(dir.path());
    assert!(
        changes
            .iter()
            .any(|c| c.path == Path::new("hosts/default.nix")),
        "split-outputs moved nothing: {changes:?}"
    );
    assert_all_identical(&verify(dir.path(), &changes, &[]), "split-outputs");
}

#[test]
fn a_path_that_was_not_rebased_is_caught() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();

    // It names another file: the host changes.
    let mut changes = split(dir.path());
    edit(
        &mut changes,
        "hosts/default.nix",
        "../configuration.nix",
        "./configuration.nix",
    );
    let report = verify(dir.path(), &changes, &[]);
    assert!(matches!(
        status_of(&report, "nixosConfigurations.box"),
        Status::Changed(_)
    ));
    assert_eq!(
        status_of(&report, "homeConfigurations.ann"),
        &Status::Identical
    );
    assert!(report.has_unexpected_changes());

    // It names nothing: the host fails to evaluate, the rest is compared.
    let mut changes = split(dir.path());
    edit(
        &mut changes,
        "hosts/default.nix",
        "../modules/metadata.nix",
        "./modules/metadata.nix",
    );
    let report = verify(dir.path(), &changes, &[]);
    match status_of(&report, "nixosConfigurations.box") {
        Status::Failed(msg) => assert!(msg.contains("hosts/modules/metadata.nix"), "{msg}"),
        other => panic!("expected a failure, got {other:?}\n{}", report.render()),
    }
    assert_eq!(
        status_of(&report, "homeConfigurations.ann"),
        &Status::Identical
    );
    assert_eq!(report.evaluations, 3, "one more evaluation for the failure");
    assert!(report
        .render()
        .contains("failed to evaluate after the change"));
}

#[test]
fn a_dropped_module_is_caught() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let mut changes = split(dir.path());
    edit(
        &mut changes,
        "hosts/default.nix",
        "home-manager.nixosModules.home-manager\n",
        "",
    );
    let report = verify(dir.path(), &changes, &[]);
    assert!(matches!(
        status_of(&report, "nixosConfigurations.box"),
        Status::Changed(_)
    ));
    assert!(report.has_unexpected_changes());
}

#[test]
fn a_changed_special_args_is_caught() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let mut changes = split(dir.path());
    edit(
        &mut changes,
        "hosts/default.nix",
        "specialArgs = { inherit inputs; };",
        "specialArgs = { inherit inputs; hostName = \"box\"; };",
    );
    let report = verify(dir.path(), &changes, &[]);
    assert!(matches!(
        status_of(&report, "nixosConfigurations.box"),
        Status::Changed(_)
    ));
    assert_eq!(
        status_of(&report, "homeConfigurations.ann"),
        &Status::Identical
    );
}

#[test]
fn a_removed_output_is_caught_unless_declared() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let mut changes = split(dir.path());
    let flake = changes
        .iter()
        .find(|c| c.path == Path::new("flake.nix"))
        .and_then(|c| c.new.clone())
        .unwrap();
    let line = flake
        .lines()
        .find(|l| l.trim_start().starts_with("packages ="))
        .unwrap_or_else(|| panic!("no packages line in\n{flake}"))
        .to_string();
    edit(&mut changes, "flake.nix", &format!("{line}\n"), "");

    let report = verify(dir.path(), &changes, &[]);
    assert_eq!(
        status_of(&report, "packages.x86_64-linux.default"),
        &Status::Changed("removed".into())
    );
    assert!(report.has_unexpected_changes());

    let report = verify(dir.path(), &changes, &["packages"]);
    assert_eq!(
        status_of(&report, "packages.x86_64-linux.default"),
        &Status::Declared(Box::new(Status::Changed("removed".into())))
    );
    assert!(!report.has_unexpected_changes(), "{}", report.render());
    assert!(report.render().contains("declared by the codemod"));
}

/// The stubs see module content, also of Home Manager users inside a host.
#[test]
fn a_changed_module_is_caught_where_it_is_used() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let old = std::fs::read_to_string(dir.path().join("home/ann.nix")).unwrap();
    let changes = vec![FileChange {
        path: "home/ann.nix".into(),
        new: Some(old.replace("pkgs.ripgrep", "pkgs.fd")),
        old: Some(old),
    }];
    let report = verify(dir.path(), &changes, &[]);
    for row in ["nixosConfigurations.box", "homeConfigurations.ann"] {
        assert!(
            matches!(status_of(&report, row), Status::Changed(_)),
            "{row}"
        );
    }
    assert_eq!(
        status_of(&report, "packages.x86_64-linux.default"),
        &Status::Identical
    );
}

/// The documented limit: a value that copies the flake's own directory into
/// the store (`"${./.}"`) depends on every file in it, so any change shows.
#[test]
fn copying_the_flake_directory_changes_with_any_edit() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let flake = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
    let with_copy = flake.replace("source: ${self}", "source: ${./.}");
    std::fs::write(dir.path().join("flake.nix"), &with_copy).unwrap();
    let changes = vec![FileChange {
        path: "flake.nix".into(),
        new: Some(with_copy.replacen("{\n", "# a comment\n{\n", 1)),
        old: Some(with_copy),
    }];
    let report = verify(dir.path(), &changes, &[]);
    assert!(matches!(
        status_of(&report, "packages.x86_64-linux.default"),
        Status::Changed(_)
    ));
    assert_eq!(
        status_of(&report, "nixosConfigurations.box"),
        &Status::Identical
    );
}

#[test]
fn outputs_that_fail_on_both_sides_are_not_a_change() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "flake.nix",
            r#"{
  outputs = { self }: {
    broken = builtins.throw "this output is broken";
    missing = self.nope;
    fine = { a = 1; };
  };
}
"#,
        )],
    );
    lock(dir.path());
    let old = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
    let changes = vec![FileChange {
        path: "flake.nix".into(),
        new: Some(old.replace("    fine =", "    # Fine.\n    fine =")),
        old: Some(old),
    }];
    let report = verify(dir.path(), &changes, &[]);
    assert_eq!(
        status_of(&report, "broken"),
        &Status::FailedBoth("this output is broken".into())
    );
    match status_of(&report, "missing") {
        Status::FailedBoth(msg) => assert!(msg.contains("'nope' missing"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(status_of(&report, "fine"), &Status::Identical);
    assert!(!report.has_unexpected_changes());
    // Two failures per side, each costing one more evaluation.
    assert_eq!(report.evaluations, 6);
}

#[test]
fn darwin_configurations_are_compared_by_their_system() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "flake.nix",
                r#"{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    nix-darwin = {
      url = "github:LnL7/nix-darwin";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nix-darwin, ... }: {
    darwinConfigurations = {
      mbp = nix-darwin.lib.darwinSystem {
        system = "aarch64-darwin";
        specialArgs = { inherit self; };
        modules = [ ./darwin.nix ];
      };
    };
  };
}
"#,
            ),
            (
                "darwin.nix",
                "{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.git ];\n}\n",
            ),
        ],
    );
    lock(dir.path());
    let changed = |path: &str, from: &str, to: &str| {
        let old = std::fs::read_to_string(dir.path().join(path)).unwrap();
        vec![FileChange {
            path: path.into(),
            new: Some(old.replacen(from, to, 1)),
            old: Some(old),
        }]
    };
    let report = verify(
        dir.path(),
        &changed("darwin.nix", "{ pkgs", "# The Mac.\n{ pkgs"),
        &[],
    );
    assert_eq!(
        status_of(&report, "darwinConfigurations.mbp"),
        &Status::Identical
    );
    let report = verify(
        dir.path(),
        &changed("darwin.nix", "pkgs.git", "pkgs.jq"),
        &[],
    );
    assert!(matches!(
        status_of(&report, "darwinConfigurations.mbp"),
        Status::Changed(_)
    ));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn an_input_that_cannot_be_had_offline_is_named() {
    if !common::nix_available() {
        return;
    }
    let dir = metadata_flake();
    let lock_path = dir.path().join("flake.lock");
    let mut lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock_path).unwrap()).unwrap();
    lock["nodes"]["home-manager"]["locked"] = serde_json::json!({
        "type": "path",
        "path": "/nonexistent/flake-refactor-test/home-manager",
        "narHash": "sha256-0000000000000000000000000000000000000000000=",
        "lastModified": 1,
    });
    std::fs::write(&lock_path, lock.to_string()).unwrap();
    let changes = split(dir.path());
    let err = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[]).unwrap_err();
    assert!(matches!(err, Error::Verify(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("input `home-manager` (github:nix-community/home-manager/release-24.11) cannot be had offline"),
        "{msg}"
    );
}

#[test]
fn a_missing_lock_file_is_an_error() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), METADATA_FLAKE);
    let err = evaluate::verify(dir.path(), Path::new("flake.nix"), &[], &[]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("called without required argument"), "{msg}");
    assert!(msg.contains("flake.lock does not exist"), "{msg}");
}

#[test]
fn a_flake_that_does_not_evaluate_before_is_an_error() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("flake.nix", "{ outputs = { self }: undefined-thing; }\n")],
    );
    std::fs::write(
        dir.path().join("flake.lock"),
        r#"{"nodes":{"root":{}},"root":"root","version":7}"#,
    )
    .unwrap();
    let err = evaluate::verify(dir.path(), Path::new("flake.nix"), &[], &[]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("does not evaluate before the change"), "{msg}");
    assert!(
        msg.contains("undefined variable 'undefined-thing'"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------
// The command line: `apply --verify`
// ---------------------------------------------------------------------------

/// (exit code, stdout, stderr) of `flake-refactor ARGS` in `dir`.
fn cli(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("flake-refactor").unwrap();
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn locked_case(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &manifest().join(format!("codemods/split-outputs/cases/{name}/before")),
        dir.path(),
    );
    lock(dir.path());
    dir
}

#[test]
fn cli_dry_run_with_verify_prints_the_table() {
    if !common::nix_available() {
        return;
    }
    let dir = locked_case("inputs-at-formals");
    let (code, stdout, stderr) = cli(dir.path(), &["apply", "split-outputs", "--verify"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("+++ b/hosts/default.nix"), "{stdout}");
    for row in [
        "homeConfigurations.\"carol@lab\"  identical",
        "nixosConfigurations.heron       identical",
        "nixosConfigurations.kestrel     identical",
        "3 identical, 0 changed",
    ] {
        assert!(stderr.contains(row), "no `{row}` in\n{stderr}");
    }
}

#[test]
fn cli_verify_refuses_a_changed_output_and_writes_nothing() {
    if !common::nix_available() {
        return;
    }
    // The package copies the flake's directory, which the split changes.
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "flake.nix",
                r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = {
      box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./configuration.nix ];
      };
    };

    packages = {
      x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.writeText "tree" "${./.}";
    };
  };
}
"#,
            ),
            ("configuration.nix", "{ networking.hostName = \"box\"; }\n"),
        ],
    );
    lock(dir.path());
    let before = common::read_tree(dir.path());
    let (code, _, stderr) = cli(
        dir.path(),
        &["apply", "split-outputs", "--verify", "--write"],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("packages.x86_64-linux.default  changed (different value)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nixosConfigurations.box        identical"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--verify: refused: 1 output changed or failed to evaluate only after the change: packages.x86_64-linux.default; nothing was written"),
        "{stderr}"
    );
    assert_eq!(common::read_tree(dir.path()), before, "files were written");

    // The same refusal as JSON: the error and the whole comparison.
    let (code, stdout, stderr) = cli(
        dir.path(),
        &["apply", "split-outputs", "--verify", "--format", "json"],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(doc["status"], "error");
    assert_eq!(doc["error"]["kind"], "verify");
    let outputs = doc["verify"]["outputs"].as_array().expect("the table");
    let row = |name: &str| {
        outputs
            .iter()
            .find(|r| r["output"] == name)
            .unwrap_or_else(|| panic!("no {name} in {outputs:?}"))
    };
    assert_eq!(row("packages.x86_64-linux.default")["result"], "changed");
    assert_eq!(row("nixosConfigurations.box")["result"], "identical");
    assert_eq!(row("nixosConfigurations.box")["declared"], false);
    assert!(doc["verify"]["evaluations"].as_u64().unwrap() >= 2);
    assert_eq!(common::read_tree(dir.path()), before, "files were written");
}

#[test]
fn cli_verify_with_branch_puts_the_table_in_the_commit() {
    if !common::nix_available() {
        return;
    }
    let tree = locked_case("inputs-at-formals");
    let repo = common::repo_with(tree.path());
    let (code, _, stderr) = cli(
        repo.path(),
        &["apply", "split-outputs", "--verify", "--branch", "verified"],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let body = common::git(repo.path(), &["log", "-1", "--format=%B", "verified"]);
    assert!(
        body.contains("verify: the flake evaluated before and after the change"),
        "{body}"
    );
    assert!(
        body.contains("nixosConfigurations.kestrel     identical"),
        "{body}"
    );
    assert!(
        body.trim_end().ends_with("Generated by flake-refactor."),
        "{body}"
    );
}

/// drop-osconfigfor declares the home configurations it changes.
#[test]
fn cli_verify_accepts_declared_changes() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &manifest().join("codemods/drop-osconfigfor/cases/readme-example/before"),
        dir.path(),
    );
    lock(dir.path());
    let (code, _, stderr) = cli(dir.path(), &["apply", "drop-osconfigfor", "--verify"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "homeConfigurations.ann    changed (different value); declared by the codemod"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("nixosConfigurations.desk  identical"),
        "{stderr}"
    );
}

#[test]
fn cli_verify_without_nix_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &manifest().join("codemods/split-outputs/cases/inputs-at-formals/before"),
        dir.path(),
    );
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let before = common::read_tree(dir.path());
    let (code, stdout, stderr) = cli(
        dir.path(),
        &["apply", "split-outputs", "--verify", "--write"],
        &[("PATH", path)],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("--verify: `nix-instantiate` was not found on PATH"),
        "{stderr}"
    );
    assert_eq!(common::read_tree(dir.path()), before, "files were written");
}

// ---------------------------------------------------------------------------
// Codemods compose in any order
// ---------------------------------------------------------------------------

/// Run `names` in order over the flake in `dir` (nothing written).
fn run_codemods(dir: &Path, names: &[&str]) -> Vec<FileChange> {
    let codemods: Vec<_> = names.iter().map(|n| codemods::find(n).unwrap()).collect();
    let mut ws = Workspace::new(dir);
    engine::run(
        &mut ws,
        Path::new("flake.nix"),
        &codemods,
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{names:?}: {e}"))
    .changes
}

/// `split-outputs drop-osconfigfor` and `drop-osconfigfor split-outputs`
/// give the same outputs: drop-osconfigfor follows `homeConfigurations`
/// into the file split-outputs moved it to.
#[test]
fn split_and_drop_compose_in_either_order() {
    if !common::nix_available() {
        return;
    }
    for case in ["readme-example", "helper-passed-module-guarded"] {
        let before = manifest()
            .join("codemods/drop-osconfigfor/cases")
            .join(case)
            .join("before");
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&before, dir.path());
        lock(dir.path());
        let first = run_codemods(dir.path(), &["split-outputs", "drop-osconfigfor"]);
        let second = run_codemods(dir.path(), &["drop-osconfigfor", "split-outputs"]);
        assert!(
            first
                .iter()
                .any(|c| c.path == Path::new("home/default.nix")),
            "{case}: homeConfigurations was not split"
        );
        // Both orders remove the special argument.
        for changes in [&first, &second] {
            let home = changes
                .iter()
                .find(|c| c.path == Path::new("home/default.nix"))
                .and_then(|c| c.new.clone())
                .unwrap_or_default();
            assert!(
                !home.contains("osConfig ="),
                "{case}: osConfig left in\n{home}"
            );
        }
        // Apply the first order on disk, then compare with the second.
        for c in &first {
            let p = dir.path().join(&c.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, c.new.as_ref().unwrap()).unwrap();
        }
        let by_path = |changes: &[FileChange], p: &Path| {
            changes
                .iter()
                .find(|c| c.path == p)
                .and_then(|c| c.new.clone())
        };
        let mut diff: Vec<FileChange> = Vec::new();
        let paths: BTreeSet<PathBuf> = first
            .iter()
            .chain(&second)
            .map(|c| c.path.clone())
            .collect();
        for p in paths {
            let (a, b) = (by_path(&first, &p), by_path(&second, &p));
            if a != b {
                diff.push(FileChange {
                    path: p,
                    old: a,
                    new: b,
                });
            }
        }
        let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &diff, &[])
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(
            report.rows.iter().all(|r| r.status == Status::Identical),
            "{case}: the two orders differ:\n{}",
            report.render()
        );
    }
}

/// `split-outputs extract-home-manager` and `extract-home-manager
/// split-outputs` on the example: both orders leave one Home Manager block
/// (the function) and evaluate to the same outputs as before.
#[test]
fn split_and_extract_home_manager_compose_in_either_order() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    for order in [
        ["split-outputs", "extract-home-manager"],
        ["extract-home-manager", "split-outputs"],
    ] {
        let changes = run_codemods(dir.path(), &order);
        let all: String = changes
            .iter()
            .filter_map(|c| c.new.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            changes
                .iter()
                .any(|c| c.path == Path::new("hosts/default.nix")),
            "{order:?}: nixosConfigurations was not split"
        );
        assert!(all.contains("mkHomeManager = "), "{order:?}:\n{all}");
        assert_eq!(
            all.matches("useGlobalPkgs").count(),
            1,
            "{order:?}: copies left:\n{all}"
        );
        let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[])
            .unwrap_or_else(|e| panic!("{order:?}: {e}"));
        assert_all_identical(&report, &format!("{order:?}"));
    }
}

/// `use-mksystem extract-home-manager` and `extract-home-manager
/// use-mksystem` on the example: after use-mksystem the block is written
/// as the default of a helper formal and as a call's argument; both orders
/// leave one Home Manager block (the function) and evaluate to the same
/// outputs as before.
#[test]
fn use_mksystem_and_extract_home_manager_compose_in_either_order() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    for order in [
        &["use-mksystem", "extract-home-manager"][..],
        &["extract-home-manager", "use-mksystem"],
        &["use-mksystem", "extract-home-manager", "split-outputs"],
    ] {
        let changes = run_codemods(dir.path(), order);
        let all: String = changes
            .iter()
            .filter_map(|c| c.new.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(all.contains("mkSystem = "), "{order:?}:\n{all}");
        assert!(all.contains("mkHomeManager = "), "{order:?}:\n{all}");
        assert_eq!(
            all.matches("useGlobalPkgs").count(),
            1,
            "{order:?}: copies left:\n{all}"
        );
        let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[])
            .unwrap_or_else(|e| panic!("{order:?}: {e}"));
        assert_all_identical(&report, &format!("{order:?}"));
    }
}

/// Every extract-home-manager case (without arguments) composes with
/// use-mksystem in either order: the chain runs, and evaluates to the same
/// outputs as before.
#[test]
fn every_extract_home_manager_case_composes_with_use_mksystem() {
    if !common::nix_available() {
        return;
    }
    let cases = manifest().join("codemods/extract-home-manager/cases");
    let mut entries: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let mut seen = 0;
    for case in entries {
        if !case.path().join("after").is_dir() || case.path().join("args").exists() {
            continue;
        }
        let name = case.file_name().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&case.path().join("before"), dir.path());
        lock(dir.path());
        for order in [
            ["use-mksystem", "extract-home-manager"],
            ["extract-home-manager", "use-mksystem"],
        ] {
            let changes = run_codemods(dir.path(), &order);
            let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[])
                .unwrap_or_else(|e| panic!("{name} {order:?}: {e}"));
            assert_all_identical(&report, &format!("{name} {order:?}"));
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} cases");
}

/// A chain runs again on its own result until nothing changes: on
/// `hybrid-three-copies`, use-mksystem first leaves the laptop alone (its
/// Home Manager block is most of it); once extract-home-manager made that
/// block a call, the second round routes the laptop through `mkSystem` too.
/// The result is one diff that a second run leaves alone, evaluating to the
/// same outputs.
#[test]
fn a_chain_settles_when_a_later_codemod_makes_room_for_an_earlier_one() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &manifest().join("codemods/extract-home-manager/cases/hybrid-three-copies/before"),
        dir.path(),
    );
    lock(dir.path());
    let changes = run_codemods(dir.path(), &["use-mksystem", "extract-home-manager"]);
    let flake = changes
        .iter()
        .find(|c| c.path == Path::new("flake.nix"))
        .and_then(|c| c.new.clone())
        .unwrap();
    assert!(flake.contains("laptop = mkSystem {"), "{flake}");
    assert_eq!(flake.matches("useGlobalPkgs").count(), 1, "{flake}");
    let report = evaluate::verify(dir.path(), Path::new("flake.nix"), &changes, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_all_identical(&report, "use-mksystem extract-home-manager");
}

/// `split-outputs use-mksystem extract-home-manager flake-parts` on the
/// example: one Home Manager block, and the outputs identical except what
/// flake-parts declares.
#[test]
fn split_mksystem_extract_home_manager_and_flake_parts_compose() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    let (report, outcome) = flake_parts_verified(
        dir.path(),
        &["split-outputs", "use-mksystem", "extract-home-manager"],
        &Options::default(),
    );
    let all: String = outcome
        .changes
        .iter()
        .filter_map(|c| c.new.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("mkHomeManager = "), "{all}");
    assert_eq!(
        all.matches("useGlobalPkgs").count(),
        1,
        "copies left:\n{all}"
    );
    assert_identical_except_declared(
        &report,
        "split-outputs use-mksystem extract-home-manager flake-parts",
    );
}

// ---------------------------------------------------------------------------
// flake-parts: identical except what the codemod declares
// ---------------------------------------------------------------------------

/// Run flake-parts (after `first`, when given) over the locked flake in
/// `dir`, lock the result with the new input, and verify it against `dir`:
/// the report and the outcome.
fn flake_parts_verified(
    dir: &Path,
    first: &[&str],
    options: &Options,
) -> (VerifyReport, engine::Outcome) {
    let mut names: Vec<&str> = first.to_vec();
    names.push("flake-parts");
    let codemods: Vec<_> = names.iter().map(|n| codemods::find(n).unwrap()).collect();
    let mut ws = Workspace::new(dir);
    let outcome = engine::run(&mut ws, Path::new("flake.nix"), &codemods, options)
        .unwrap_or_else(|e| panic!("{names:?}: {e}"));
    // The result, with flake.lock updated for the new input as the user
    // would (`nix flake lock`).
    let after = tempfile::tempdir().unwrap();
    common::copy_tree(dir, after.path());
    for c in &outcome.changes {
        let p = after.path().join(&c.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, c.new.as_ref().unwrap()).unwrap();
    }
    lock(after.path());
    let mut changes = outcome.changes.clone();
    changes.push(FileChange {
        path: PathBuf::from("flake.lock"),
        old: std::fs::read_to_string(dir.join("flake.lock")).ok(),
        new: Some(std::fs::read_to_string(after.path().join("flake.lock")).unwrap()),
    });
    let report = evaluate::verify(
        dir,
        Path::new("flake.nix"),
        &changes,
        &outcome.declared_changes,
    )
    .unwrap_or_else(|e| panic!("{names:?}: {e}"));
    (report, outcome)
}

/// Every row identical, or a declared change that still evaluates.
fn assert_identical_except_declared(report: &VerifyReport, what: &str) {
    assert!(!report.rows.is_empty(), "{what}: no outputs");
    for row in &report.rows {
        let ok = match &row.status {
            Status::Identical => true,
            Status::Declared(inner) => matches!(**inner, Status::Changed(_)),
            _ => false,
        };
        assert!(
            ok,
            "{what}: {} is {:?}\n{}",
            row.output(),
            row.status,
            report.render()
        );
    }
}

#[test]
fn every_flake_parts_case_verifies_identical_except_declared() {
    if !common::nix_available() {
        return;
    }
    let cases = manifest().join("codemods/flake-parts/cases");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for case in entries {
        // A case with its own flake.lock (lock-reuse) names inputs that
        // have no stub; its lock handling is checked by the cases test.
        if !case.path().join("after").is_dir() || case.path().join("before/flake.lock").exists() {
            continue;
        }
        let name = case.file_name().to_string_lossy().into_owned();
        let args = std::fs::read_to_string(case.path().join("args")).unwrap_or_default();
        let options = Options {
            expand_systems: args.contains("--expand-systems"),
            ..Options::default()
        };
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&case.path().join("before"), dir.path());
        lock(dir.path());
        let (report, outcome) = flake_parts_verified(dir.path(), &[], &options);
        // The result is the case's after/ tree.
        for c in &outcome.changes {
            let want = std::fs::read_to_string(case.path().join("after").join(&c.path)).ok();
            assert_eq!(
                c.new,
                want,
                "{name}: {} differs from after/",
                c.path.display()
            );
        }
        if std::env::var_os("SHOW_REPORTS").is_some() {
            eprintln!("== {name}\n{}", report.render());
        }
        assert_identical_except_declared(&report, &name);
        seen += 1;
    }
    assert!(seen >= 15, "only {seen} cases with an after/ tree");
}

/// The main example migrates and verifies: packages, dev shells and the
/// formatter identical; what flake-parts adds (darwin's empty `packages`
/// and `checks`, `apps`, `legacyPackages`), the wrapped `nixosModules` and
/// the outputs that pass the whole inputs set (which gains `flake-parts`)
/// declared.
#[test]
fn the_example_migrates_to_flake_parts() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    let (report, outcome) = flake_parts_verified(dir.path(), &[], &Options::default());
    assert_identical_except_declared(&report, "examples/hybrid");
    // The hosts and homes pass the whole inputs set, which gains flake-parts.
    for d in [
        "packages.aarch64-darwin",
        "checks.aarch64-darwin",
        "apps",
        "nixosModules",
        "nixosConfigurations",
        "homeConfigurations",
    ] {
        assert!(
            outcome.declared_changes.iter().any(|x| x == d),
            "{d} not declared: {:?}",
            outcome.declared_changes
        );
    }
    for out in ["devShells", "formatter", "packages", "homeManagerModules"] {
        assert!(
            report
                .rows
                .iter()
                .filter(|r| r.output() == out || r.output().starts_with(&format!("{out}.")))
                .all(|r| r.status == Status::Identical),
            "{out} changed:\n{}",
            report.render()
        );
    }
}

/// `split-outputs` then `flake-parts` in one run: the split files stay
/// imported under `flake`, and the flake verifies.
#[test]
fn split_then_flake_parts_compose() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&manifest().join("examples/hybrid"), dir.path());
    lock(dir.path());
    let (report, outcome) =
        flake_parts_verified(dir.path(), &["split-outputs"], &Options::default());
    let flake = outcome
        .changes
        .iter()
        .find(|c| c.path == Path::new("flake.nix"))
        .and_then(|c| c.new.clone())
        .unwrap();
    assert!(flake.contains("mkFlake"), "{flake}");
    assert!(
        flake.contains("flake.nixosConfigurations = import ./hosts"),
        "{flake}"
    );
    assert_identical_except_declared(&report, "split-outputs flake-parts");
    // devShells, written in devshells/default.nix by split-outputs, covers
    // every system: the file becomes a flake-parts module in `imports`.
    assert!(flake.contains("imports = [ ./devshells ];"), "{flake}");
    assert!(!flake.contains("flake.devShells"), "{flake}");
    let shells = outcome
        .changes
        .iter()
        .find(|c| c.path == Path::new("devshells/default.nix"))
        .and_then(|c| c.new.clone())
        .unwrap();
    assert!(shells.contains("perSystem ="), "{shells}");
    for system in ["x86_64-linux", "aarch64-linux", "aarch64-darwin"] {
        assert_eq!(
            status_of(&report, &format!("devShells.{system}.default")),
            &Status::Identical
        );
    }
    // packages and checks (two systems) stay exact under `flake`.
    assert!(
        flake.contains("flake.packages = import ./packages"),
        "{flake}"
    );
    assert!(flake.contains("flake.checks = import ./checks"), "{flake}");
}

/// The hand-migration failure the stub exists to catch: without
/// `_module.args.pkgs`, perSystem's `pkgs` is plain `legacyPackages`, not
/// the flake's own `allowUnfree` instantiation, and the packages change.
#[test]
fn a_lost_allow_unfree_is_caught() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &manifest().join("codemods/flake-parts/cases/readme-example/before"),
        dir.path(),
    );
    lock(dir.path());
    let (_, outcome) = flake_parts_verified(dir.path(), &[], &Options::default());
    let mut changes = outcome.changes.clone();
    edit(
        &mut changes,
        "flake.nix",
        "_module.args.pkgs = pkgsFor system;",
        "",
    );
    let after = tempfile::tempdir().unwrap();
    common::copy_tree(dir.path(), after.path());
    for c in &changes {
        std::fs::write(after.path().join(&c.path), c.new.as_ref().unwrap()).unwrap();
    }
    lock(after.path());
    changes.push(FileChange {
        path: PathBuf::from("flake.lock"),
        old: std::fs::read_to_string(dir.path().join("flake.lock")).ok(),
        new: Some(std::fs::read_to_string(after.path().join("flake.lock")).unwrap()),
    });
    let report = verify(dir.path(), &changes, &[]);
    assert!(
        matches!(
            status_of(&report, "packages.x86_64-linux.hello"),
            Status::Changed(_)
        ),
        "{}",
        report.render()
    );
    assert!(matches!(
        status_of(&report, "devShells.x86_64-linux.default"),
        Status::Changed(_)
    ));
}
