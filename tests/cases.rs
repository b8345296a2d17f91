//! The data-driven codemod cases: `codemods/<codemod>/cases/<case>/`.
//!
//! - `before/`: the input tree;
//! - `after/`: the expected tree, compared byte for byte (absent: nothing to do);
//! - `refused`: when present, the run must refuse with a message containing its text;
//! - `args`: extra options (`--flake DIR`, `--only OUT,OUT`, `--to OUT=DIR`,
//!   `--allow-breaking`, `--input X,X`, `--all-shared`, `--pass-names`);
//! - `notes`: lines each of which must appear in one of the run's notes;
//! - `actions`: lines each of which must appear in one of the run's actions
//!   (the summary of what moved where).
//!
//! Every case is also run a second time on its result (which must change
//! nothing), and every `.nix` file of the result goes through
//! `nix-instantiate --parse`, which also rejects undefined variables.
//! `UPDATE_CASES=1 cargo test --test cases` rewrites the `after/` trees.

mod common;

use std::path::{Path, PathBuf};

use flake_refactor::codemods::{self, Options};
use flake_refactor::engine;
use flake_refactor::syntax::format;
use flake_refactor::workspace::Workspace;

struct Case {
    codemod: String,
    name: String,
    dir: PathBuf,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods");
    let mut out = Vec::new();
    for codemod in std::fs::read_dir(&root).unwrap().flatten() {
        let Ok(case_dirs) = std::fs::read_dir(codemod.path().join("cases")) else {
            continue;
        };
        for case in case_dirs.flatten() {
            out.push(Case {
                codemod: codemod.file_name().to_string_lossy().into_owned(),
                name: case.file_name().to_string_lossy().into_owned(),
                dir: case.path(),
            });
        }
    }
    out.sort_by(|a, b| (&a.codemod, &a.name).cmp(&(&b.codemod, &b.name)));
    out
}

fn parse_args(case: &Case) -> (PathBuf, Options) {
    let mut flake = PathBuf::new();
    let mut options = Options::default();
    let text = std::fs::read_to_string(case.dir.join("args")).unwrap_or_default();
    let mut words = text.split_whitespace();
    while let Some(w) = words.next() {
        if w == "--allow-breaking" {
            options.allow_breaking = true;
            continue;
        }
        if w == "--all-shared" {
            options.all_shared = true;
            continue;
        }
        if w == "--pass-names" {
            options.pass_names = true;
            continue;
        }
        if w == "--remove-unused" {
            options.remove_unused = true;
            continue;
        }
        if w == "--expand-systems" {
            options.expand_systems = true;
            continue;
        }
        let v = words
            .next()
            .unwrap_or_else(|| panic!("{}: `{w}` needs a value", case.name));
        match w {
            "--flake" => flake = PathBuf::from(v),
            "--only" => options.only.extend(v.split(',').map(str::to_string)),
            "--to" => options.to.push(Options::parse_to(v).unwrap()),
            "--input" => options.inputs.extend(v.split(',').map(str::to_string)),
            "--name" => options.name = Some(v.to_string()),
            "--helper-file" => options.helper_file = Some(v.to_string()),
            other => panic!("{}: unknown option {other}", case.name),
        }
    }
    (flake.join("flake.nix"), options)
}

/// Run the case's codemod over the tree in `dir`, writing the result there;
/// the number of files changed, the notes and the actions.
fn run_in(case: &Case, dir: &Path) -> Result<(usize, Vec<String>, Vec<String>), String> {
    let (flake, options) = parse_args(case);
    let codemod =
        codemods::find(&case.codemod).unwrap_or_else(|| panic!("no codemod {}", case.codemod));
    let mut ws = Workspace::new(dir);
    let outcome = engine::run(&mut ws, &flake, &[codemod], &options).map_err(|e| e.to_string())?;
    for c in &outcome.changes {
        let p = dir.join(&c.path);
        match &c.new {
            Some(text) => {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            None => std::fs::remove_file(p).unwrap(),
        }
    }
    let notes = outcome.notes.iter().map(|(_, n)| n.to_string()).collect();
    let actions = outcome.actions.iter().map(|(_, a)| a.clone()).collect();
    Ok((outcome.changes.len(), notes, actions))
}

fn check_case(case: &Case, nix: bool) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(&case.dir.join("before"), tmp.path());
    let refused = std::fs::read_to_string(case.dir.join("refused")).ok();
    let after = case.dir.join("after");
    let result = run_in(case, tmp.path());
    if let Some(expected) = refused {
        return match result {
            Err(msg) if msg.contains(expected.trim()) => {
                if common::read_tree(tmp.path()) != common::read_tree(&case.dir.join("before")) {
                    return Err("a refused run changed files".into());
                }
                Ok(())
            }
            Err(msg) => Err(format!(
                "refused with `{msg}`, expected a message containing `{}`",
                expected.trim()
            )),
            Ok(_) => Err(format!(
                "expected a refusal containing `{}`, but it ran",
                expected.trim()
            )),
        };
    }
    let (changed, notes, actions) = result?;
    for (file, got) in [("notes", &notes), ("actions", &actions)] {
        let Ok(wanted) = std::fs::read_to_string(case.dir.join(file)) else {
            continue;
        };
        for line in wanted.lines().filter(|l| !l.trim().is_empty()) {
            if !got.iter().any(|n| n.contains(line.trim())) {
                return Err(format!(
                    "none of the {file} contains `{}`; they were:\n{}",
                    line.trim(),
                    got.join("\n")
                ));
            }
        }
    }
    if std::env::var_os("UPDATE_CASES").is_some() && changed > 0 {
        let _ = std::fs::remove_dir_all(&after);
        common::copy_tree(tmp.path(), &after);
    }
    let got = common::read_tree(tmp.path());
    let want = if after.exists() {
        common::read_tree(&after)
    } else {
        common::read_tree(&case.dir.join("before"))
    };
    if got != want {
        let mut msg = String::from("result differs from after/:\n");
        for (p, bytes) in &got {
            match want.get(p) {
                Some(w) if w == bytes => {}
                Some(w) => msg.push_str(&format!(
                    "--- {} expected:\n{}\n--- got:\n{}\n",
                    p.display(),
                    String::from_utf8_lossy(w),
                    String::from_utf8_lossy(bytes)
                )),
                None => msg.push_str(&format!("unexpected file {}\n", p.display())),
            }
        }
        for p in want.keys().filter(|p| !got.contains_key(*p)) {
            msg.push_str(&format!("missing file {}\n", p.display()));
        }
        return Err(msg);
    }
    if !after.exists() && changed > 0 {
        return Err("no after/ but the codemod changed files".into());
    }
    // Idempotence: a second run finds nothing to do.
    match run_in(case, tmp.path()) {
        Ok((0, _, _)) => {}
        Ok((n, _, _)) => return Err(format!("second run changed {n} file(s)")),
        Err(e) => return Err(format!("second run failed: {e}")),
    }
    // Layout: when every `.nix` file of before/ is nixfmt-clean, so is
    // every `.nix` file of the result.
    let before_nix = nix_files(&common::read_tree(&case.dir.join("before")));
    if !before_nix.is_empty() && before_nix.iter().all(|(_, t)| format::is_clean(t)) {
        let unclean: Vec<String> = nix_files(&got)
            .into_iter()
            .filter(|(_, t)| !format::is_clean(t))
            .map(|(p, t)| {
                format!(
                    "{} is not nixfmt-clean; nixfmt writes:\n{}",
                    p.display(),
                    format::format(&t).unwrap_or_default()
                )
            })
            .collect();
        if !unclean.is_empty() {
            return Err(unclean.join("\n"));
        }
    }
    if nix {
        let failures = common::nix_parse_all(tmp.path());
        if !failures.is_empty() {
            return Err(format!(
                "nix-instantiate --parse failed:\n{}",
                failures.join("\n")
            ));
        }
    }
    Ok(())
}

/// The `.nix` files of a tree read by `common::read_tree`, as text.
fn nix_files<V: AsRef<[u8]>>(
    tree: &std::collections::BTreeMap<PathBuf, V>,
) -> Vec<(PathBuf, String)> {
    tree.iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "nix"))
        .map(|(p, b)| (p.clone(), String::from_utf8_lossy(b.as_ref()).into_owned()))
        .collect()
}

#[test]
fn every_case() {
    let nix = common::nix_available();
    // `CASE_FILTER=flake-parts` runs only the cases whose `codemod/case` contains it.
    let filter = std::env::var("CASE_FILTER").unwrap_or_default();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| format!("{}/{}", c.codemod, c.name).contains(&filter))
        .collect();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = check_case(case, nix) {
            failures.push(format!("== {}/{}: {e}", case.codemod, case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{} cases passed", cases.len());
}
