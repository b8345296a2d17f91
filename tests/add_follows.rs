//! `add-follows` against real Nix: the flake.lock it writes offline is the
//! one `nix flake lock` writes after the same flake.nix edit.
//!
//! The inputs are the stub flakes of `tests/stubs/` (`own-nixpkgs` stands
//! in for agenix, with its own nixpkgs and flake-utils; `tools` has an
//! input, `devshell`, with its own nixpkgs). They are locked with
//! `nix flake lock --override-input`: each node's `locked` source is the
//! stub's `path:`, and its `original` stays the `github:` reference flake.nix
//! (or the stub) declares, so the codemod sees the branches, and
//! `nix flake lock --offline` later reuses every locked node without
//! fetching anything.
//!
//! The cases of `codemods/add-follows/cases/` are checked the same way:
//! Nix re-locks each case's `before/` lock for its `after/` flake.nix,
//! offline, and must write the case's `after/` lock byte for byte.
//!
//! These tests need `nix`; without it they are skipped, and with `CI` set
//! they fail.

mod common;

use std::path::Path;
use std::process::Command;

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::lock::{InputRef, Lock};
use flake_refactor::review::{self, Rule};
use flake_refactor::workspace::Workspace;
use serde_json::{json, Value};

fn stub(name: &str) -> String {
    format!(
        "path:{}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/stubs")
            .join(name)
            .display()
    )
}

const FLAKE: &str = r#"{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
    agenix.url = "github:ryantm/agenix";
    tools = {
      url = "github:example/tools";
    };
  };

  outputs = { self, nixpkgs, flake-utils, agenix, tools }: {
    nixosModules.default = { ... }: { imports = [ agenix.nixosModules.default tools.nixosModules.default ]; };
  };
}
"#;

/// Input path -> (stub, the `original` flake.nix and the stubs declare).
fn sources() -> Vec<(&'static str, &'static str, Value)> {
    let gh = |owner: &str, repo: &str, r: Option<&str>| {
        let mut v = json!({ "owner": owner, "repo": repo, "type": "github" });
        if let Some(r) = r {
            v["ref"] = json!(r);
        }
        v
    };
    vec![
        (
            "nixpkgs",
            "nixpkgs",
            gh("NixOS", "nixpkgs", Some("nixos-unstable")),
        ),
        (
            "flake-utils",
            "flake-utils",
            gh("numtide", "flake-utils", None),
        ),
        ("agenix", "own-nixpkgs", gh("ryantm", "agenix", None)),
        (
            "agenix/nixpkgs",
            "nixpkgs",
            gh("NixOS", "nixpkgs", Some("nixpkgs-unstable")),
        ),
        (
            "agenix/utils",
            "flake-utils",
            gh("numtide", "flake-utils", None),
        ),
        ("tools", "tools", gh("example", "tools", None)),
        (
            "tools/devshell",
            "devshell",
            gh("numtide", "devshell", None),
        ),
        (
            "tools/devshell/nixpkgs",
            "nixpkgs",
            gh("NixOS", "nixpkgs", Some("nixos-unstable")),
        ),
    ]
}

fn nix_flake_lock(dir: &Path, overrides: &[(&str, String)]) {
    let mut cmd = Command::new("nix");
    cmd.args(["flake", "lock", "--offline"])
        .arg(format!("path:{}", dir.display()))
        .env("NIX_CONFIG", "experimental-features = nix-command flakes");
    for (input, source) in overrides {
        cmd.arg("--override-input").arg(input).arg(source);
    }
    let out = cmd.output().expect("run nix flake lock");
    assert!(
        out.status.success(),
        "nix flake lock failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Lock `FLAKE` in `dir` against the stubs.
fn lock_before(dir: &Path) {
    std::fs::write(dir.join("flake.nix"), FLAKE).unwrap();
    let overrides: Vec<(&str, String)> = sources()
        .into_iter()
        .map(|(input, dir, _)| (input, stub(dir)))
        .collect();
    nix_flake_lock(dir, &overrides);
    let text = std::fs::read_to_string(dir.join("flake.lock")).unwrap();
    let lock = Lock::parse(&text).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    for (input, _, original) in sources() {
        let path: Vec<String> = input.split('/').map(str::to_string).collect();
        let node = lock.resolve(&InputRef::Follows(path)).unwrap().to_string();
        assert_eq!(doc["nodes"][&node]["locked"]["type"], "path", "{input}");
        assert_eq!(doc["nodes"][&node]["original"], original, "{input}");
    }
}

fn run(dir: &Path, options: &Options) -> engine::Outcome {
    let codemod = codemods::find("add-follows").unwrap();
    let mut ws = Workspace::new(dir);
    let outcome = engine::run(&mut ws, Path::new("flake.nix"), &[codemod], options).unwrap();
    for c in &outcome.changes {
        std::fs::write(dir.join(&c.path), c.new.as_ref().unwrap()).unwrap();
    }
    outcome
}

/// The codemod's flake.lock equals, byte for byte, the one Nix writes for
/// the codemod's flake.nix from the lock as it was before.
fn check_against_nix(options: Options, expected_follows: &[&str], actions: usize) {
    if !common::nix_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    lock_before(dir);
    let before_lock = std::fs::read_to_string(dir.join("flake.lock")).unwrap();
    let outcome = run(dir, &options);
    let ours = std::fs::read_to_string(dir.join("flake.lock")).unwrap();
    assert_ne!(ours, before_lock, "the lock did not change");
    let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    for line in expected_follows {
        assert!(flake.contains(line), "no `{line}` in\n{flake}");
    }
    assert_eq!(outcome.actions.len(), actions, "{:?}", outcome.actions);

    // Nix, from the old lock and the new flake.nix, offline.
    let nix_dir = tempfile::tempdir().unwrap();
    std::fs::write(nix_dir.path().join("flake.nix"), &flake).unwrap();
    std::fs::write(nix_dir.path().join("flake.lock"), &before_lock).unwrap();
    nix_flake_lock(nix_dir.path(), &[]);
    let theirs = std::fs::read_to_string(nix_dir.path().join("flake.lock")).unwrap();
    assert_eq!(ours, theirs, "flake.lock differs from what Nix writes");

    // And Nix changes nothing in ours.
    nix_flake_lock(dir, &[]);
    assert_eq!(
        std::fs::read_to_string(dir.join("flake.lock")).unwrap(),
        ours
    );

    // tools/devshell/nixpkgs is left alone: Nix 2.8 cannot take a follows
    // three inputs deep (see the README); review still names it, and
    // nothing else.
    assert!(!flake.contains("devshell"), "{flake}");
    assert!(outcome
        .notes
        .iter()
        .any(|(_, n)| n.message.contains("tools/devshell/nixpkgs")));
    let r = review::review(
        &Workspace::new(dir),
        Path::new("flake.nix"),
        &review::Options::default(),
    )
    .unwrap();
    let fr007: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::InputWithoutFollows)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(fr007.len(), 1, "{fr007:?}");
    assert!(
        fr007[0].starts_with("input tools brings its own nixpkgs"),
        "{fr007:?}"
    );
}

#[test]
fn default_follows_give_the_lock_nix_writes() {
    check_against_nix(
        Options::default(),
        &[
            // The file writes `tools` in the set form, so `agenix` is converted.
            "    agenix = {\n      url = \"github:ryantm/agenix\";\n      inputs.nixpkgs.follows = \"nixpkgs\";\n    };\n",
        ],
        1,
    );
}

#[test]
fn all_shared_follows_give_the_lock_nix_writes() {
    check_against_nix(
        Options {
            all_shared: true,
            ..Options::default()
        },
        &[
            "      inputs.nixpkgs.follows = \"nixpkgs\";\n      inputs.utils.follows = \"flake-utils\";\n",
        ],
        2,
    );
}

/// Cases Nix 2.8 cannot re-lock offline, and why.
const NIX_CANNOT: &[(&str, &str)] = &[
    (
        "pinned-skipped",
        "haskellNix's own lock has a follows (nixpkgs -> nixpkgs-unstable) that flake.nix does not set, so Nix re-reads its flake.nix, which needs the network",
    ),
    (
        "transitive",
        "Nix 2.8 reads a follows three levels deep as an override of the middle input and looks it up in the flake registry (NixOS/nix#13400)",
    ),
];

#[test]
fn every_case_lock_is_the_one_nix_writes() {
    if !common::nix_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods/add-follows/cases");
    let mut compared = Vec::new();
    for case in std::fs::read_dir(&root).unwrap() {
        let case = case.unwrap().path();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let after = case.join("after");
        let Some(lock) = common::read_tree(&after)
            .into_keys()
            .find(|p| p.file_name().is_some_and(|n| n == "flake.lock"))
        else {
            continue;
        };
        if NIX_CANNOT.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        common::copy_tree(&after, tmp.path());
        std::fs::copy(case.join("before").join(&lock), tmp.path().join(&lock)).unwrap();
        nix_flake_lock(&tmp.path().join(lock.parent().unwrap()), &[]);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(&lock)).unwrap(),
            std::fs::read_to_string(after.join(&lock)).unwrap(),
            "{name}: the case's flake.lock is not the one Nix writes"
        );
        compared.push(name);
    }
    assert!(compared.len() >= 8, "{compared:?}");
}
