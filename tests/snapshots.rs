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
    let outcome = engine::run(
        &mut ws,
        Path::new("flake.nix"),
        &selected,
        &Options::default(),
    )
    .unwrap();
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
