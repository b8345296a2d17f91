//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir`, relative path -> bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Copy the tree `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in read_tree(from) {
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

/// Whether Nix is available. With `CI` set, a missing Nix is a test failure.
pub fn nix_available() -> bool {
    let ok = Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("nix-instantiate is not installed, and CI is set: tests that need Nix must not be skipped (run .ci/run, which installs nix-bin)");
    }
    if !ok {
        eprintln!("note: nix-instantiate not found; skipping the Nix checks (they run in CI)");
    }
    ok
}

/// `nix-instantiate --parse` on every `.nix` file under `dir`; returns failures.
pub fn nix_parse_all(dir: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for rel in read_tree(dir)
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "nix"))
    {
        let out = Command::new("nix-instantiate")
            .arg("--parse")
            .arg(dir.join(rel))
            .env("NIX_CONFIG", "experimental-features = nix-command flakes")
            .output()
            .expect("run nix-instantiate");
        if !out.status.success() {
            failures.push(format!(
                "{}: {}",
                rel.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    failures
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A git repository holding a copy of `tree`, with one commit.
pub fn repo_with(tree: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(tree, dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "initial"]);
    dir
}

/// What one run of the binary produced.
pub struct Run {
    /// The exit code; a signal (no exit code) shows up as -1, which no
    /// assertion accepts.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The exit code and both streams, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Assert the exit code (and that nothing panicked).
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "{}", self.describe());
        self.assert_no_panic();
        self
    }

    /// Assert that stderr shows no panic, internal error or stack overflow.
    pub fn assert_no_panic(&self) -> &Self {
        for bad in [
            "panicked",
            "internal error",
            "stack overflow",
            "RUST_BACKTRACE",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "stderr contains {bad:?}:\n{}",
                self.describe()
            );
        }
        self
    }

    /// [`Run::assert_code`], by value.
    pub fn expect(self, code: i32) -> Run {
        self.assert_code(code);
        self
    }

    /// stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
}

/// The binary, with an environment that does not depend on the caller's.
pub fn bin(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("flake-refactor").unwrap();
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid");
    cmd
}

/// Run a prepared command of the binary.
pub fn finish(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("run flake-refactor");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Run `flake-refactor ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    finish(bin(dir).args(args))
}
