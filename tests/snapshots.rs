//! Snapshots of what a user sees: the diff, then the notes and summary, exactly
//! as `flake-refactor apply` prints them (stdout, then stderr).
//! Stored in the top-level `snapshots/` directory.

mod common;

use std::path::Path;

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::output::{diff, report};
use flake_refactor::workspace::Workspace;

fn user_view(example: &str, codemod_names: &[&str]) -> String {
    user_view_with(example, codemod_names, &Options::default())
}

/// What the user sees: the diff and the summary, or the refusal.
fn user_view_with(example: &str, codemod_names: &[&str], options: &Options) -> String {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(example),
        tmp.path(),
    );
    let selected: Vec<_> = codemod_names
        .iter()
        .map(|n| codemods::find(n).unwrap())
        .collect();
    let mut ws = Workspace::new(tmp.path());
    let outcome = match engine::run(&mut ws, Path::new("flake.nix"), &selected, options) {
        Ok(o) => o,
        Err(e) => return format!("refused (exit 2):\n{e}\n"),
    };
    format!(
        "{}\n----- stderr -----\n{}{}",
        diff::unified_diff(&outcome.changes, false),
        report::notes(&outcome),
        report::summary(&outcome)
    )
}

#[test]
fn hybrid_split_outputs() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hybrid-split-outputs", user_view("examples/hybrid", &["split-outputs"]));
    });
}

#[test]
fn hybrid_drop_osconfigfor() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hybrid-drop-osconfigfor-refused", user_view("examples/hybrid", &["drop-osconfigfor"]));
        let breaking = Options { allow_breaking: true, ..Options::default() };
        insta::assert_snapshot!(
            "hybrid-drop-osconfigfor-allow-breaking",
            user_view_with("examples/hybrid", &["drop-osconfigfor"], &breaking)
        );
        insta::assert_snapshot!(
            "hybrid-drop-osconfigfor-then-split-outputs",
            user_view_with("examples/hybrid", &["drop-osconfigfor", "split-outputs"], &breaking)
        );
    });
}

#[test]
fn hybrid_extract_home_manager() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hybrid-extract-home-manager", user_view("examples/hybrid", &["extract-home-manager"]));
        insta::assert_snapshot!(
            "hybrid-split-outputs-then-extract-home-manager",
            user_view("examples/hybrid", &["split-outputs", "extract-home-manager"])
        );
    });
}

#[test]
fn add_follows_pinned_inputs() {
    // The lock diff, the notes on the pins left alone, and which revisions
    // collapse into which.
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            "add-follows-pinned-skipped",
            user_view("codemods/add-follows/cases/pinned-skipped/before", &["add-follows"])
        );
    });
}

#[test]
fn hybrid_flake_parts() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hybrid-flake-parts", user_view("examples/hybrid", &["flake-parts"]));
        insta::assert_snapshot!(
            "hybrid-split-outputs-then-flake-parts",
            user_view("examples/hybrid", &["split-outputs", "flake-parts"])
        );
    });
}
