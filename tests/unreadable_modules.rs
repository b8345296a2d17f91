//! A Home Manager module that drop-osconfigfor must inspect and cannot read
//! or parse is a refusal naming the file, never "a note, then a change"; and
//! review's trial run of the codemod says so.

mod common;

use std::path::Path;

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::review::{self, Rule, Trial};
use flake_refactor::workspace::Workspace;

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("codemods/drop-osconfigfor/cases/readme-example/before"),
        dir.path(),
    );
    dir
}

fn drop_osconfigfor(dir: &Path, allow_breaking: bool) -> Result<usize, String> {
    let codemod = codemods::find("drop-osconfigfor").unwrap();
    let options = Options {
        allow_breaking,
        ..Options::default()
    };
    engine::run(
        &mut Workspace::new(dir),
        Path::new("flake.nix"),
        &[codemod],
        &options,
    )
    .map(|o| o.changes.len())
    .map_err(|e| e.to_string())
}

/// How to make a file unreadable in one way.
type Breaker = Box<dyn Fn(&Path)>;

/// Each way home.nix can be unreadable, as (name, how to make it so).
fn causes() -> Vec<(&'static str, Breaker)> {
    vec![
        (
            "a syntax error",
            Box::new(|p: &Path| std::fs::write(p, "{ osConfig, ... }: { home = ; }").unwrap()),
        ),
        (
            "non-UTF-8 bytes",
            Box::new(|p: &Path| std::fs::write(p, b"{ ... }: { x = \"\xff\"; }").unwrap()),
        ),
        (
            "a byte order mark",
            Box::new(|p: &Path| std::fs::write(p, "\u{feff}{ ... }: { }").unwrap()),
        ),
        (
            "nesting too deep",
            Box::new(|p: &Path| {
                let deep = format!("{}1{}", "(".repeat(1000), ")".repeat(1000));
                std::fs::write(p, format!("{{ ... }}: {{ x = {deep}; }}")).unwrap()
            }),
        ),
        (
            "a directory",
            Box::new(|p: &Path| {
                std::fs::remove_file(p).unwrap();
                std::fs::create_dir(p).unwrap();
            }),
        ),
        (
            "a symbolic link loop",
            Box::new(|p: &Path| {
                std::fs::remove_file(p).unwrap();
                std::os::unix::fs::symlink(p, p).unwrap();
            }),
        ),
    ]
}

/// Run `f` on a thread with the stack the CLI gives its analyses (the
/// parser's recursion limit bounds depth, not stack frames of the tests).
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn each_unreadable_module_is_a_refusal_naming_it() {
    big_stack(each_unreadable_module_is_a_refusal_naming_it_inner);
}

fn each_unreadable_module_is_a_refusal_naming_it_inner() {
    for (name, make) in causes() {
        let dir = example();
        make(&dir.path().join("home.nix"));
        let flake_nix = dir.path().join("flake.nix");
        let before = std::fs::read(&flake_nix).unwrap();
        let err = drop_osconfigfor(dir.path(), false)
            .err()
            .unwrap_or_else(|| panic!("{name}: drop-osconfigfor went ahead"));
        assert!(err.contains("refused"), "{name}: {err}");
        assert!(
            err.contains("home.nix"),
            "{name}: the file is not named: {err}"
        );
        assert_eq!(
            std::fs::read(&flake_nix).unwrap(),
            before,
            "{name}: flake.nix changed"
        );
        // --allow-breaking says it goes ahead unchecked.
        assert!(
            drop_osconfigfor(dir.path(), true).is_ok(),
            "{name}: --allow-breaking still refuses"
        );
    }
}

#[test]
fn reviews_trial_run_reports_the_refusal() {
    big_stack(reviews_trial_run_reports_the_refusal_inner);
}

fn reviews_trial_run_reports_the_refusal_inner() {
    for (name, make) in causes() {
        let dir = example();
        make(&dir.path().join("home.nix"));
        let r = review::review(
            &Workspace::new(dir.path()),
            Path::new("flake.nix"),
            &review::Options::default(),
        )
        .unwrap();
        let rec = r
            .recommendations()
            .into_iter()
            .find(|x| x.rule == Rule::StandaloneReadsNixos)
            .unwrap_or_else(|| panic!("{name}: no FR004"));
        assert!(
            matches!(&rec.trial, Some(Trial::Refuses(why)) if why.contains("cannot see every Home Manager module")),
            "{name}: {:?}",
            rec.trial
        );
    }
}
