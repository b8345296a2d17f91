//! `--write` as a transaction: a crash, an I/O error or a signal at any file
//! operation leaves the old tree or the new one (after the next run of any
//! command), never a mix; exit 2 means nothing changed; refusals that
//! happen before anything is written (index lock, read-only files, targets
//! inside `.git`).
//!
//! The failures are injected with the test-only hook
//! `FLAKE_REFACTOR_FAIL_AT=N[:abort|error|sigint|sigterm]`
//! (`src/output/failpoint.rs`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use common::{git, read_tree, repo_with};

fn hybrid() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hybrid")
}

struct Run {
    /// `None` when the process died of a signal (the abort).
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::cargo_bin("flake-refactor").unwrap();
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("FLAKE_REFACTOR_FAIL_AT")
        .env_remove("FLAKE_REFACTOR_FAIL_TRACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run flake-refactor");
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    for bad in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(!r.stderr.contains(bad), "{}", r.describe());
    }
    r
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

const WRITE: &[&str] = &["apply", "split-outputs", "--write"];

/// A state of the repository: the work tree (without `.git`) and what
/// `git status` says about it.
#[derive(PartialEq, Eq)]
struct State {
    tree: BTreeMap<PathBuf, Vec<u8>>,
    status: String,
}

fn state(dir: &Path) -> State {
    State {
        tree: read_tree(dir),
        status: git(dir, &["status", "--porcelain", "--untracked-files=all"]),
    }
}

/// The state of `examples/hybrid` before and after `split-outputs --write`.
fn old_and_new() -> (State, State) {
    let repo = repo_with(&hybrid());
    let old = state(repo.path());
    let r = run(repo.path(), WRITE);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    (old, state(repo.path()))
}

/// How many file operations a clean `split-outputs --write` makes.
fn operation_count() -> usize {
    let repo = repo_with(&hybrid());
    let r = run_env(repo.path(), WRITE, &[("FLAKE_REFACTOR_FAIL_TRACE", "1")]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let n = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("file operation "))
        .count();
    assert!(n > 20, "too few operations traced:\n{}", r.stderr);
    n
}

/// Nothing of a transaction is left: no journal, no staged file, no
/// `index.lock`, no temporary file in the tree.
fn assert_no_leftovers(dir: &Path, context: &str) {
    assert!(
        !dir.join(".git/flake-refactor").exists(),
        "{context}: .git/flake-refactor is left: {:?}",
        std::fs::read_dir(dir.join(".git/flake-refactor"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
    assert!(
        !dir.join(".git/index.lock").exists(),
        "{context}: .git/index.lock is left"
    );
    for path in read_tree(dir).keys() {
        let name = path.to_string_lossy();
        assert!(
            !name.contains("flake-refactor"),
            "{context}: temporary file left: {name}"
        );
    }
}

/// Which of the two states `dir` is in; panics when neither.
fn which(dir: &Path, old: &State, new: &State, context: &str) -> &'static str {
    let now = state(dir);
    if &now == old {
        "old"
    } else if &now == new {
        "new"
    } else {
        let mut msg = String::new();
        for (p, bytes) in &now.tree {
            match (old.tree.get(p), new.tree.get(p)) {
                (Some(o), _) if o == bytes => {}
                (_, Some(n)) if n == bytes => {}
                _ => msg.push_str(&format!("  {}\n", p.display())),
            }
        }
        panic!(
            "{context}: the tree is neither the old nor the new one\nfiles matching neither:\n{msg}status:\n{}\nold status:\n{}\nnew status:\n{}",
            now.status, old.status, new.status
        );
    }
}

#[test]
fn a_crash_at_any_file_operation_leaves_the_old_or_the_new_tree() {
    let (old, new) = old_and_new();
    let total = operation_count();
    let mut seen_new = false;
    for n in 1..=total + 1 {
        let repo = repo_with(&hybrid());
        let dir = repo.path();
        let at = n.to_string();
        let r = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_AT", &at)]);
        if n > total {
            assert_eq!(r.code, Some(0), "past the last operation: {}", r.describe());
            assert_eq!(which(dir, &old, &new, "complete run"), "new");
            assert_no_leftovers(dir, "complete run");
            break;
        }
        assert_eq!(r.code, None, "n={n}: expected an abort\n{}", r.describe());
        assert!(
            r.stderr.contains("FLAKE_REFACTOR_FAIL_AT: aborting"),
            "n={n}: {}",
            r.describe()
        );
        // Any command recovers: alternate between review and a dry run.
        let rerun: &[&str] = if n % 2 == 0 {
            &["review"]
        } else {
            &["apply", "split-outputs", "--check"]
        };
        let rr = run(dir, rerun);
        assert!(
            matches!(rr.code, Some(0 | 1)),
            "n={n}: {rerun:?} after the crash: {}",
            rr.describe()
        );
        let context = format!("abort at operation {n}, then {rerun:?}");
        let side = which(dir, &old, &new, &context);
        assert_no_leftovers(dir, &context);
        // Once the journal is gone the write is committed: later crashes
        // (during the clean-up) must keep the new tree.
        if side == "new" {
            seen_new = true;
        } else {
            assert!(!seen_new, "{context}: old tree after a committed crash");
        }
        // And the repository is usable: the write works now (checked for a
        // few n, it takes time).
        if n % 7 == 0 && side == "old" {
            let w = run(dir, WRITE);
            assert_eq!(w.code, Some(0), "{context}: {}", w.describe());
            assert_eq!(which(dir, &old, &new, &context), "new");
            assert_no_leftovers(dir, &context);
        }
    }
    assert!(seen_new, "no crash happened after the commit point");
}

#[test]
fn an_error_at_any_file_operation_means_exit_2_and_nothing_changed() {
    let (old, new) = old_and_new();
    let total = operation_count();
    let mut rolled_back_a_rename = false;
    for n in 1..=total {
        let repo = repo_with(&hybrid());
        let dir = repo.path();
        let index = std::fs::read(dir.join(".git/index")).unwrap();
        let at = format!("{n}:error");
        let r = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_AT", &at)]);
        let context = format!("error at operation {n}");
        match r.code {
            Some(2) => {
                // (Before `git status`, which may refresh the index.)
                assert!(
                    std::fs::read(dir.join(".git/index")).unwrap() == index,
                    "{context}: the index changed"
                );
                assert_eq!(which(dir, &old, &new, &context), "old", "{}", r.describe());
                assert_no_leftovers(dir, &context);
                assert!(r.stderr.contains("nothing was written"), "{}", r.describe());
                if r.stderr.contains("rolled back") {
                    rolled_back_a_rename = true;
                }
            }
            Some(0) => {
                // Only past the commit point (clean-up errors are ignored).
                assert_eq!(which(dir, &old, &new, &context), "new");
                let rr = run(dir, &["review"]);
                assert!(matches!(rr.code, Some(0 | 1)), "{}", rr.describe());
                assert_no_leftovers(dir, &context);
            }
            _ => panic!("{context}: {}", r.describe()),
        }
    }
    assert!(rolled_back_a_rename, "no failing rename was rolled back");
}

#[test]
fn a_signal_during_the_write_rolls_back_or_finishes_before_exiting() {
    let (old, new) = old_and_new();
    let total = operation_count();
    for n in (1..=total).step_by(3) {
        for (signal, code) in [("sigint", 130), ("sigterm", 143)] {
            let repo = repo_with(&hybrid());
            let dir = repo.path();
            let at = format!("{n}:{signal}");
            let r = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_AT", &at)]);
            let context = format!("{signal} at operation {n}");
            // No rerun: the interrupted process cleaned up itself.
            assert_no_leftovers(dir, &context);
            match r.code {
                Some(c) if c == code => {
                    assert_eq!(which(dir, &old, &new, &context), "old");
                    assert!(r.stderr.contains("interrupted by"), "{}", r.describe());
                    assert!(r.stderr.contains("rolled back"), "{}", r.describe());
                }
                Some(0) => assert_eq!(which(dir, &old, &new, &context), "new"),
                _ => panic!("{context}: {}", r.describe()),
            }
        }
    }
}

#[test]
fn a_leftover_journal_is_rolled_back_and_said_so() {
    let (old, new) = old_and_new();
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    // Abort right after the renames: all files are new, the journal is there.
    let trace = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_TRACE", "1")]);
    let renames: Vec<usize> = trace
        .stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("file operation ")?;
            let (n, what) = rest.split_once(": ")?;
            what.starts_with("rename /").then(|| n.parse().ok())?
        })
        .collect();
    let last_rename = *renames.last().expect("renames traced");
    drop(repo);
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let at = (last_rename + 1).to_string();
    let r = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_AT", &at)]);
    assert_eq!(r.code, None, "{}", r.describe());
    assert!(dir.join(".git/flake-refactor/journal").exists());
    // Before recovery the files are the new ones.
    assert_eq!(
        read_tree(dir).get(Path::new("flake.nix")),
        new.tree.get(Path::new("flake.nix"))
    );
    let rr = run(dir, &["apply", "split-outputs", "--check"]);
    assert_eq!(rr.code, Some(1), "{}", rr.describe());
    assert!(
        rr.stderr
            .contains("an earlier --write was interrupted; rolled it back"),
        "{}",
        rr.describe()
    );
    assert!(
        rr.stderr.contains("restored flake.nix"),
        "{}",
        rr.describe()
    );
    assert_eq!(which(dir, &old, &new, "recovered"), "old");
    assert_no_leftovers(dir, "recovered");
    // A second run has nothing to recover and says nothing about it.
    let again = run(dir, &["apply", "split-outputs", "--check"]);
    assert!(
        !again.stderr.contains("interrupted"),
        "{}",
        again.describe()
    );
}

#[test]
fn a_crash_during_the_rollback_is_rolled_back_by_the_next_run() {
    let (old, new) = old_and_new();
    // Crash the write after its renames (the journal is there), then crash
    // the recovering run at each of its file operations in turn.
    let trace = {
        let repo = repo_with(&hybrid());
        run_env(repo.path(), WRITE, &[("FLAKE_REFACTOR_FAIL_TRACE", "1")]).stderr
    };
    let last_rename = trace
        .lines()
        .filter_map(|l| {
            let (n, what) = l.strip_prefix("file operation ")?.split_once(": ")?;
            what.starts_with("rename /")
                .then(|| n.parse::<usize>().ok())?
        })
        .next_back()
        .expect("renames traced");
    let write_crash = (last_rename + 1).to_string();
    for m in 1.. {
        let repo = repo_with(&hybrid());
        let dir = repo.path();
        let r = run_env(dir, WRITE, &[("FLAKE_REFACTOR_FAIL_AT", &write_crash)]);
        assert_eq!(r.code, None, "{}", r.describe());
        let at = m.to_string();
        let rec = run_env(
            dir,
            &["apply", "split-outputs", "--check"],
            &[("FLAKE_REFACTOR_FAIL_AT", &at)],
        );
        let context = format!("recovery crashed at operation {m}");
        if rec.code.is_some() {
            // The recovery ran to its end: the old tree, nothing left.
            assert_eq!(rec.code, Some(1), "{context}: {}", rec.describe());
            assert_eq!(which(dir, &old, &new, &context), "old");
            assert_no_leftovers(dir, &context);
            assert!(m > 3, "the recovery made too few file operations");
            break;
        }
        let again = run(dir, &["review"]);
        assert!(matches!(again.code, Some(0 | 1)), "{}", again.describe());
        assert_eq!(which(dir, &old, &new, &context), "old");
        assert_no_leftovers(dir, &context);
        assert!(m < 100, "the recovery never completes");
    }
}

#[test]
fn stale_temp_files_of_older_versions_are_removed() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let before = read_tree(dir);
    // A process id that cannot be running (above the kernel's maximum).
    let stale = [
        ".flake.nix.flake-refactor-999999999.tmp",
        "nix/.x.nix.flake-refactor-999999998.tmp",
    ];
    for s in stale {
        std::fs::create_dir_all(dir.join(s).parent().unwrap()).unwrap();
        std::fs::write(dir.join(s), "partial").unwrap();
    }
    let r = run(dir, &["review"]);
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.describe());
    assert!(
        r.stderr.contains("removed 2 temporary file(s)"),
        "{}",
        r.describe()
    );
    let mut after = read_tree(dir);
    after.retain(|p, _| !p.starts_with("nix"));
    assert!(after == before);
    // A temp file of a running process (this test) is left alone.
    let live = format!(".flake.nix.flake-refactor-{}.tmp", std::process::id());
    std::fs::write(dir.join(&live), "in progress").unwrap();
    run(dir, &["apply", "split-outputs", "--check"]);
    assert!(dir.join(&live).exists());
}

fn assert_refused_unchanged(dir: &Path, args: &[&str]) -> Run {
    let before = state(dir);
    let index = std::fs::read(dir.join(".git/index")).ok();
    let r = run(dir, args);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        std::fs::read(dir.join(".git/index")).ok() == index,
        "a refusal changed the index"
    );
    assert!(state(dir) == before, "a refusal changed the tree");
    assert!(!dir.join(".git/flake-refactor").exists());
    r
}

#[test]
fn an_index_lock_is_refused_before_anything_is_written() {
    let (_, new) = old_and_new();
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    std::fs::write(dir.join(".git/index.lock"), "").unwrap();
    let r = assert_refused_unchanged(dir, WRITE);
    assert!(r.stderr.contains("index.lock exists"), "{}", r.describe());
    assert!(r.stderr.contains("nothing was written"), "{}", r.describe());
    assert!(dir.join(".git/index.lock").exists(), "not ours to remove");
    std::fs::remove_file(dir.join(".git/index.lock")).unwrap();
    let w = run(dir, WRITE);
    assert_eq!(w.code, Some(0), "{}", w.describe());
    assert!(state(dir) == new);
}

#[cfg(unix)]
#[test]
fn a_read_only_flake_is_refused_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let flake = dir.join("flake.nix");
    std::fs::set_permissions(&flake, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = assert_refused_unchanged(dir, WRITE);
    assert!(
        r.stderr.contains("flake.nix: is read-only"),
        "{}",
        r.describe()
    );
    assert!(r.stderr.contains("--force"), "{}", r.describe());
    let mut forced = WRITE.to_vec();
    forced.push("--force");
    let w = run(dir, &forced);
    assert_eq!(w.code, Some(0), "{}", w.describe());
    let text = std::fs::read_to_string(&flake).unwrap();
    assert!(text.contains("import ./hosts"), "{text}");
    let mode = std::fs::metadata(&flake).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444, "the mode is kept");
}

#[test]
fn targets_inside_git_are_refused_in_every_mode() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    for to in [
        "nixosConfigurations=.git/refs/heads",
        "nixosConfigurations=.git",
        "nixosConfigurations=sub/.GIT/x",
    ] {
        for mode in [None, Some("--write"), Some("--check"), Some("--branch")] {
            let mut args = vec!["apply", "split-outputs", "--to", to];
            args.extend(mode);
            let r = assert_refused_unchanged(dir, &args);
            assert!(r.stderr.contains(".git"), "{to} {mode:?}: {}", r.describe());
            assert_eq!(r.stdout, "", "{to} {mode:?}");
        }
    }
    assert!(!dir.join(".git/refs/heads/default.nix").exists());
    // Through a symlink into the git directory.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".git/refs", dir.join("refs-link")).unwrap();
        git(dir, &["add", "refs-link"]);
        git(dir, &["commit", "-q", "-m", "link"]);
        for mode in [None, Some("--write")] {
            let mut args = vec![
                "apply",
                "split-outputs",
                "--to",
                "nixosConfigurations=refs-link/heads",
            ];
            args.extend(mode);
            let r = assert_refused_unchanged(dir, &args);
            assert!(
                r.stderr.contains("inside the git directory")
                    || r.stderr.contains("does not edit through links"),
                "{mode:?}: {}",
                r.describe()
            );
        }
    }
}

#[test]
fn a_write_outside_git_leaves_no_transaction_directory() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&hybrid(), dir.path());
    let r = run(dir.path(), WRITE);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(!dir.path().join(".flake-refactor-txn").exists());
    // A crash outside git is recovered the same way.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&hybrid(), dir.path());
    let before = read_tree(dir.path());
    let r = run_env(dir.path(), WRITE, &[("FLAKE_REFACTOR_FAIL_AT", "30")]);
    assert_eq!(r.code, None, "{}", r.describe());
    let rr = run(dir.path(), &["apply", "split-outputs", "--check"]);
    assert_eq!(rr.code, Some(1), "{}", rr.describe());
    assert!(read_tree(dir.path()) == before);
    assert!(!dir.path().join(".flake-refactor-txn").exists());
}
