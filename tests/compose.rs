//! Codemods compose: every chain of the architecture codemods, run on every
//! flake the project has (each codemod case's `before/`, the review
//! fixtures, the example), either refuses with a reason or gives a result
//! that passes every post-check. A post-check failure (`CheckFailed`) means
//! a codemod produced something broken, lost a comment, or a chain is not
//! its own fixpoint (a second run would change it again).

use std::path::{Path, PathBuf};

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::error::Error;
use flake_refactor::workspace::Workspace;

const CHAINS: &[&[&str]] = &[
    &["use-mksystem"],
    &["extract-home-manager"],
    &["flake-parts"],
    &["use-mksystem", "extract-home-manager"],
    &["extract-home-manager", "use-mksystem"],
    &["split-outputs", "flake-parts"],
    &[
        "split-outputs",
        "use-mksystem",
        "extract-home-manager",
        "flake-parts",
    ],
    &[
        "use-mksystem",
        "extract-home-manager",
        "flake-parts",
        "split-outputs",
    ],
];

fn flakes() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("examples/hybrid")];
    for codemod in std::fs::read_dir(root.join("codemods")).unwrap().flatten() {
        let Ok(cases) = std::fs::read_dir(codemod.path().join("cases")) else {
            continue;
        };
        for case in cases.flatten() {
            out.push(case.path().join("before"));
        }
    }
    for f in std::fs::read_dir(root.join("tests/review"))
        .unwrap()
        .flatten()
    {
        out.push(f.path());
    }
    out.retain(|d| d.join("flake.nix").is_file());
    out.sort();
    out
}

#[test]
fn every_chain_refuses_or_passes_every_check() {
    let mut failures = Vec::new();
    let mut changed = 0;
    let flakes = flakes();
    assert!(flakes.len() > 100, "only {} flakes", flakes.len());
    for dir in &flakes {
        for chain in CHAINS {
            let selected: Vec<_> = chain.iter().map(|n| codemods::find(n).unwrap()).collect();
            let mut ws = Workspace::new(dir);
            match engine::run(
                &mut ws,
                Path::new("flake.nix"),
                &selected,
                &Options::default(),
            ) {
                Ok(outcome) => changed += usize::from(!outcome.is_empty()),
                Err(e @ Error::CheckFailed { .. }) => {
                    failures.push(format!("{} [{}]: {e}", dir.display(), chain.join(" ")))
                }
                Err(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(changed > 100, "only {changed} runs changed something");
}
