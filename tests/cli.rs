//! End-to-end tests of the `flake-refactor` binary: dry runs, `--check`,
//! `--write`, `--branch`, refusals, bad input, colour, `list` and `explain`.
//!
//! Every test works on its own temporary copy of a fixture
//! (`examples/hybrid` or a `codemods/split-outputs/cases/*/before` tree).

mod common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use common::{copy_tree, git, read_tree, repo_with};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The files `split-outputs` creates in `examples/hybrid`, in diff order.
const HYBRID_CREATED: &[&str] = &[
    "checks/default.nix",
    "devshells/default.nix",
    "home/default.nix",
    "hosts/default.nix",
    "packages/default.nix",
];

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn hybrid() -> PathBuf {
    fixture("examples/hybrid")
}

fn case_before(name: &str) -> PathBuf {
    fixture(&format!("codemods/split-outputs/cases/{name}/before"))
}

/// A plain (non-git) temporary directory holding a copy of `tree`.
fn plain_copy(tree: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(tree, dir.path());
    dir
}

use common::{bin, finish, run, Run};

/// Run `flake-refactor ARGS` in `dir` with extra environment variables.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = bin(dir);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(&mut cmd)
}

/// The bytes of the git index of the repository at `dir`.
fn index_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(".git/index")).unwrap()
}

/// A git command that may fail: (success, stdout, stderr).
fn git_try(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = StdCommand::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `git ARGS` in `dir` with `input` on stdin; panics on failure.
fn git_stdin(dir: &Path, args: &[&str], input: &str) {
    let mut child = StdCommand::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn git");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}\n--- patch ---\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `diff --git` header lines of a diff.
fn diff_headers(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| l.starts_with("diff --git "))
        .collect()
}

/// Parse a leading `file:line:col: ` off `text`.
fn location_prefix(text: &str) -> Option<(String, usize, usize)> {
    let first = text.lines().next()?;
    let (loc, _) = first.split_once(": ")?;
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    (!file.is_empty()).then_some((file, line, col))
}

/// Run `args` in `dir`, expecting a refusal: exit 2, nothing on stdout, no
/// panic, and no file in `dir` changed (nor the git index, in a repository).
fn assert_refused(dir: &Path, args: &[&str]) -> Run {
    let before = read_tree(dir);
    let index = dir.join(".git/index").exists().then(|| index_bytes(dir));
    let r = run(dir, args);
    r.assert_code(2);
    assert_eq!(
        r.stdout,
        "",
        "a refusal printed on stdout:\n{}",
        r.describe()
    );
    assert!(!r.stderr.trim().is_empty(), "a refusal must say why");
    assert!(read_tree(dir) == before, "a refused run changed files");
    if let Some(index) = index {
        assert!(index_bytes(dir) == index, "a refused run changed the index");
    }
    r
}

/// The tree `--write` produces from a fresh git copy of `tree` with `args`.
fn written_tree(tree: &Path, args: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    let repo = repo_with(tree);
    let mut all = vec!["apply", "split-outputs", "--write"];
    all.extend_from_slice(args);
    run(repo.path(), &all).assert_code(0);
    read_tree(repo.path())
}

/// Describe how two trees differ (for assertion messages).
fn tree_diff(got: &BTreeMap<PathBuf, Vec<u8>>, want: &BTreeMap<PathBuf, Vec<u8>>) -> String {
    let mut msg = String::new();
    for (p, bytes) in got {
        match want.get(p) {
            Some(w) if w == bytes => {}
            Some(_) => msg.push_str(&format!("differs: {}\n", p.display())),
            None => msg.push_str(&format!("unexpected: {}\n", p.display())),
        }
    }
    for p in want.keys().filter(|p| !got.contains_key(*p)) {
        msg.push_str(&format!("missing: {}\n", p.display()));
    }
    msg
}

fn assert_same_tree(got: &BTreeMap<PathBuf, Vec<u8>>, want: &BTreeMap<PathBuf, Vec<u8>>) {
    assert!(got == want, "trees differ:\n{}", tree_diff(got, want));
}

fn has_ansi(s: &str) -> bool {
    s.contains('\x1b')
}

// ---------------------------------------------------------------------------
// 1. Dry run
// ---------------------------------------------------------------------------

#[test]
fn dry_run_prints_a_diff_git_applies_like_write() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let tree_before = read_tree(dir);
    let index_before = index_bytes(dir);

    let r = run(dir, &["apply", "split-outputs"]);
    r.assert_code(0);

    // The dry run itself changes nothing.
    assert_same_tree(&read_tree(dir), &tree_before);
    assert!(
        index_bytes(dir) == index_before,
        "the dry run changed the index"
    );

    // stdout is a git-style diff of every created and changed file.
    assert!(r.stdout.starts_with("diff --git "), "{}", r.describe());
    let mut expected: Vec<String> = HYBRID_CREATED
        .iter()
        .chain(&["flake.nix"])
        .map(|p| format!("diff --git a/{p} b/{p}"))
        .collect();
    expected.sort();
    assert_eq!(diff_headers(&r.stdout), expected);
    for p in HYBRID_CREATED {
        assert!(
            r.stdout
                .contains(&format!("new file mode 100644\n--- /dev/null\n+++ b/{p}\n")),
            "{p}: no creation header"
        );
    }
    assert!(r.stdout.contains("--- a/flake.nix\n+++ b/flake.nix\n@@ "));
    assert!(!has_ansi(&r.stdout), "not a terminal: no colour expected");

    // stderr: what moved where, and each file.
    for p in HYBRID_CREATED {
        assert!(
            r.stderr.lines().any(|l| l == format!("created: {p}")),
            "stderr lacks `created: {p}`:\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.lines().any(|l| l == "changed: flake.nix"));
    assert!(
        r.stderr.contains("moved `nixosConfigurations`") && r.stderr.contains("hosts/default.nix"),
        "{}",
        r.stderr
    );

    // The diff applies cleanly and gives exactly what --write gives.
    git_stdin(dir, &["apply", "--check"], &r.stdout);
    git_stdin(dir, &["apply"], &r.stdout);
    let applied = read_tree(dir);
    assert_same_tree(&applied, &written_tree(&hybrid(), &[]));
    assert!(applied != tree_before);
}

#[test]
fn dry_run_outside_git_also_works() {
    let dir = plain_copy(&hybrid());
    let before = read_tree(dir.path());
    let r = run(dir.path(), &["apply", "split-outputs"]);
    r.assert_code(0);
    assert_eq!(diff_headers(&r.stdout).len(), HYBRID_CREATED.len() + 1);
    assert_same_tree(&read_tree(dir.path()), &before);
}

// ---------------------------------------------------------------------------
// 2. --check
// ---------------------------------------------------------------------------

#[test]
fn check_exits_1_with_pending_changes_and_0_after_write() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let before = read_tree(dir);
    let index = index_bytes(dir);

    let dry = run(dir, &["apply", "split-outputs"]);
    dry.assert_code(0);
    let check = run(dir, &["apply", "split-outputs", "--check"]);
    check.assert_code(1);
    assert_eq!(check.stdout, dry.stdout, "--check shows the pending diff");
    assert!(check.stderr.contains("created: hosts/default.nix"));
    assert_same_tree(&read_tree(dir), &before);
    assert!(index_bytes(dir) == index, "--check changed the index");

    run(dir, &["apply", "split-outputs", "--write"]).assert_code(0);
    let after_write = read_tree(dir);

    let check = run(dir, &["apply", "split-outputs", "--check"]);
    check.assert_code(0);
    assert_eq!(check.stdout, "");
    assert!(
        check.stderr.contains("nothing to do"),
        "{}",
        check.describe()
    );
    assert_same_tree(&read_tree(dir), &after_write);
}

// ---------------------------------------------------------------------------
// 3. --write
// ---------------------------------------------------------------------------

#[test]
fn write_writes_files_and_marks_created_ones_intent_to_add() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let original_flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();

    let dry = run(dir, &["apply", "split-outputs"]);
    dry.assert_code(0);
    let r = run(dir, &["apply", "split-outputs", "--write"]);
    r.assert_code(0);
    assert_eq!(r.stdout, "", "--write prints no diff");

    // Files written.
    for p in HYBRID_CREATED {
        let text = std::fs::read_to_string(dir.join(p)).unwrap();
        assert!(!text.is_empty(), "{p} is empty");
        assert!(dry.stdout.contains(&format!("+++ b/{p}")));
    }
    let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    assert_ne!(flake, original_flake);
    assert!(flake.contains("import ./hosts"), "{flake}");
    assert!(flake.contains("import ./packages"), "{flake}");
    // Lossless: the untouched parts (inputs, comments) are still there.
    assert!(flake.starts_with("# flake.nix — alice's machines"));
    assert!(flake.contains("nix-darwin.url = \"github:LnL7/nix-darwin\";"));

    // Created files are intent-to-add; flake.nix is modified, not staged.
    let status = git(dir, &["status", "--porcelain"]);
    let mut expected: Vec<String> = HYBRID_CREATED.iter().map(|p| format!(" A {p}")).collect();
    expected.push(" M flake.nix".into());
    expected.sort_by(|a, b| a[3..].cmp(&b[3..]));
    assert_eq!(status, expected.join("\n") + "\n");
    // `git diff` (work tree vs index) shows them as new files.
    let diff = git(dir, &["diff"]);
    for p in HYBRID_CREATED {
        assert!(
            diff.contains(&format!("diff --git a/{p} b/{p}\nnew file mode 100644\n")),
            "git diff does not show {p} as new:\n{diff}"
        );
    }
    // Nothing was staged for real.
    assert_eq!(git(dir, &["diff", "--cached", "--name-only"]), "");

    // The summary.
    assert!(r.stderr.contains("wrote 6 files"), "{}", r.stderr);
    assert!(r.stderr.contains("intent-to-add"), "{}", r.stderr);
    let ita_line = r
        .stderr
        .lines()
        .find(|l| l.contains("intent-to-add"))
        .unwrap();
    for p in HYBRID_CREATED {
        assert!(ita_line.contains(p), "{ita_line}");
    }
    assert!(!ita_line.contains("flake.nix"), "{ita_line}");
}

#[test]
fn write_outside_git_writes_and_says_no_dirty_check_was_possible() {
    let dir = plain_copy(&hybrid());
    let r = run(dir.path(), &["apply", "split-outputs", "--write"]);
    r.assert_code(0);
    assert!(r.stderr.contains("not a git repository"), "{}", r.stderr);
    assert!(!r.stderr.contains("intent-to-add"), "{}", r.stderr);
    assert_same_tree(&read_tree(dir.path()), &written_tree(&hybrid(), &[]));
}

// ---------------------------------------------------------------------------
// 4. --branch
// ---------------------------------------------------------------------------

#[test]
fn branch_commits_without_touching_head_index_or_work_tree() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let head = git(dir, &["rev-parse", "HEAD"]);
    let symbolic = git(dir, &["symbolic-ref", "HEAD"]);
    let index = index_bytes(dir);
    let tree = read_tree(dir);

    let r = run(dir, &["apply", "split-outputs", "--branch"]);
    r.assert_code(0);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("onto branch flake-refactor/split-outputs"),
        "{}",
        r.stderr
    );

    // Nothing local moved. (Read the index before any `git` call: `git
    // status` may refresh it.)
    assert!(index_bytes(dir) == index, "--branch changed .git/index");
    assert_same_tree(&read_tree(dir), &tree);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(dir, &["symbolic-ref", "HEAD"]), symbolic);
    assert_eq!(symbolic.trim(), "refs/heads/main");
    assert_eq!(git(dir, &["status", "--porcelain"]), "");

    // The commit: HEAD is its only parent, the message has the prefix.
    let branch = "flake-refactor/split-outputs";
    let parents = git(dir, &["rev-list", "--parents", "-n", "1", branch]);
    let parents: Vec<&str> = parents.split_whitespace().skip(1).collect();
    assert_eq!(parents, [head.trim()]);
    let message = git(dir, &["log", "-1", "--format=%B", branch]);
    assert!(message.starts_with("refactor(flake): "), "{message}");

    // Its tree is exactly what --write produces.
    let want = written_tree(&hybrid(), &[]);
    let listed = git(dir, &["ls-tree", "-r", "--name-only", branch]);
    let mut got = BTreeMap::new();
    for path in listed.lines() {
        let content = git(dir, &["show", &format!("{branch}:{path}")]);
        got.insert(PathBuf::from(path), content.into_bytes());
    }
    assert_same_tree(&got, &want);
    assert_eq!(
        git(dir, &["show", &format!("{branch}:hosts/default.nix")]).as_bytes(),
        want[Path::new("hosts/default.nix")].as_slice()
    );

    // A second --branch refuses to replace the branch...
    let tip = git(dir, &["rev-parse", branch]);
    let again = assert_refused(dir, &["apply", "split-outputs", "--branch"]);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(again.stderr.contains(branch), "{}", again.stderr);
    assert_eq!(git(dir, &["rev-parse", branch]), tip);

    // ...unless forced.
    let index = index_bytes(dir);
    let forced = run(dir, &["apply", "split-outputs", "--branch", "--force"]);
    forced.assert_code(0);
    let forced_parent = git(dir, &["rev-parse", &format!("{branch}^")]);
    assert_eq!(
        forced_parent, head,
        "the forced branch is rebuilt from HEAD"
    );
    assert_eq!(
        git(dir, &["rev-parse", &format!("{branch}^{{tree}}")]),
        git(dir, &["rev-parse", &format!("{}^{{tree}}", tip.trim())])
    );

    // A named branch.
    let named = run(dir, &["apply", "split-outputs", "--branch", "my-name"]);
    named.assert_code(0);
    assert!(
        named.stderr.contains("onto branch my-name"),
        "{}",
        named.stderr
    );
    assert_eq!(
        git(dir, &["rev-parse", "my-name^{tree}"]),
        git(dir, &["rev-parse", &format!("{branch}^{{tree}}")])
    );
    assert_eq!(git(dir, &["rev-parse", "my-name^"]), head);

    // Still nothing local moved (only `git rev-parse` ran since `index`).
    assert!(index_bytes(dir) == index, "--branch changed .git/index");
    assert_same_tree(&read_tree(dir), &tree);
    assert_eq!(git(dir, &["symbolic-ref", "HEAD"]), symbolic);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
}

#[test]
fn branch_outside_git_is_refused() {
    let dir = plain_copy(&hybrid());
    let r = assert_refused(dir.path(), &["apply", "split-outputs", "--branch"]);
    assert!(r.stderr.contains("git repository"), "{}", r.stderr);
    assert!(!dir.path().join(".git").exists());
}

#[test]
fn branch_refuses_bad_names_and_the_checked_out_branch() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let head = git(dir, &["rev-parse", "HEAD"]);
    for name in ["bad..name", "-x", ""] {
        let arg = format!("--branch={name}");
        let r = assert_refused(dir, &["apply", "split-outputs", &arg]);
        assert!(r.stderr.contains("not a valid branch name"), "{}", r.stderr);
    }
    let r = assert_refused(dir, &["apply", "split-outputs", "--branch", "main"]);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    let r = assert_refused(
        dir,
        &["apply", "split-outputs", "--branch", "main", "--force"],
    );
    assert!(r.stderr.contains("checked out"), "{}", r.stderr);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(dir, &["branch", "--format=%(refname:short)"]), "main\n");
}

#[test]
fn branch_works_on_a_detached_head() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    git(dir, &["checkout", "-q", "--detach", "HEAD"]);
    let head = git(dir, &["rev-parse", "HEAD"]);
    let index = index_bytes(dir);
    run(
        dir,
        &["apply", "split-outputs", "--branch", "detached-test"],
    )
    .assert_code(0);
    assert!(index_bytes(dir) == index);
    assert_eq!(git(dir, &["rev-parse", "detached-test^"]), head);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    let (attached, _, _) = git_try(dir, &["symbolic-ref", "-q", "HEAD"]);
    assert!(!attached, "HEAD must stay detached");
}

// ---------------------------------------------------------------------------
// 5. Dirty tree
// ---------------------------------------------------------------------------

#[test]
fn dirty_touched_file_blocks_write_and_branch_unless_allowed() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let mut flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    flake.push_str("# a local edit\n");
    std::fs::write(dir.join("flake.nix"), &flake).unwrap();

    // --branch: the branch is built from HEAD, so a dirty touched file is refused.
    let r = assert_refused(dir, &["apply", "split-outputs", "--branch"]);
    assert!(r.stderr.contains("flake.nix"), "{}", r.stderr);
    assert!(r.stderr.contains("uncommitted"), "{}", r.stderr);
    let (exists, _, _) = git_try(
        dir,
        &[
            "rev-parse",
            "--verify",
            "-q",
            "refs/heads/flake-refactor/split-outputs",
        ],
    );
    assert!(!exists, "a refused --branch created the branch");

    // --write refuses, naming the file.
    let r = assert_refused(dir, &["apply", "split-outputs", "--write"]);
    assert!(r.stderr.contains("flake.nix"), "{}", r.stderr);
    assert!(r.stderr.contains("--allow-dirty"), "{}", r.stderr);
    for p in HYBRID_CREATED {
        assert!(!dir.join(p).exists(), "{p} written despite the refusal");
    }

    // --allow-dirty writes, on top of the local edit.
    let r = run(dir, &["apply", "split-outputs", "--write", "--allow-dirty"]);
    r.assert_code(0);
    for p in HYBRID_CREATED {
        assert!(dir.join(p).is_file(), "{p} not written");
    }
    let written = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    assert!(written.ends_with("# a local edit\n"), "local edit lost");
    assert!(written.contains("import ./hosts"));
}

#[test]
fn untouched_dirty_files_do_not_block_write() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    std::fs::write(dir.join("README.md"), "edited\n").unwrap();
    std::fs::write(dir.join("scratch.txt"), "untracked\n").unwrap();
    run(dir, &["apply", "split-outputs", "--write"]).assert_code(0);
    assert!(dir.join("hosts/default.nix").is_file());
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "edited\n"
    );
}

#[test]
fn staged_change_to_touched_file_blocks_write() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let mut flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    flake.push_str("# staged\n");
    std::fs::write(dir.join("flake.nix"), &flake).unwrap();
    git(dir, &["add", "flake.nix"]);
    let r = assert_refused(dir, &["apply", "split-outputs", "--write"]);
    assert!(r.stderr.contains("flake.nix"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// 6. Bad input
// ---------------------------------------------------------------------------

/// A temporary directory with `flake.nix` holding `bytes`.
fn flake_dir_with(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flake.nix"), bytes).unwrap();
    dir
}

/// A small flake whose `packages` (multi-line, so it moves) is `value`.
fn flake_with_packages(value: &str) -> String {
    format!(
        "{{\n  description = \"test\";\n  outputs = {{ self, ... }}: {{\n    packages =\n      {value};\n  }};\n}}\n"
    )
}

#[test]
fn syntax_error_is_reported_at_its_line_and_column() {
    // Line 7, column 18 is the second `;` of `b = ;` (columns count
    // characters: `é` is one column though it is two bytes).
    let text = "{\n  description = \"日本語\";\n  inputs = { };\n  outputs = { self, ... }: {\n    packages = {\n      x = 1;\n    a = \"é\"; b = ;\n    };\n  };\n}\n";
    let line7 = text.lines().nth(6).unwrap();
    assert_eq!(
        line7.chars().position(|c| c == ';').map(|i| i + 1),
        Some(12)
    );
    let dir = flake_dir_with(text.as_bytes());
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    assert!(
        r.stderr.starts_with("flake.nix:7:18: "),
        "expected flake.nix:7:18:, got:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("syntax error"), "{}", r.stderr);
    // The same with --write and --check.
    for mode in ["--write", "--check"] {
        let r = assert_refused(dir.path(), &["apply", "split-outputs", mode]);
        assert!(r.stderr.starts_with("flake.nix:7:18: "), "{}", r.stderr);
    }
}

#[test]
fn unexpected_end_of_file_is_reported() {
    let dir = flake_dir_with(b"{\n  outputs = _: {\n");
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    let (file, line, _) = location_prefix(&r.stderr).expect("file:line:col prefix");
    assert_eq!((file.as_str(), line), ("flake.nix", 3), "{}", r.stderr);
    assert!(r.stderr.contains("end of file"), "{}", r.stderr);
}

#[test]
fn empty_flake_is_refused() {
    let dir = flake_dir_with(b"");
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    assert!(r.stderr.starts_with("flake.nix:1:1: "), "{}", r.stderr);
}

#[test]
fn non_utf8_flake_is_refused() {
    let mut bytes = flake_with_packages("{\n        a = 1;\n      }").into_bytes();
    // An invalid byte inside a comment on line 2.
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(at..at, b"  # caf\xe9 latin-1\n".iter().copied());
    let dir = flake_dir_with(&bytes);
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    // The invalid byte follows `  # caf` on line 2: column 8.
    assert!(r.stderr.starts_with("flake.nix:2:8: "), "{}", r.stderr);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
}

#[test]
fn bom_is_refused() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(flake_with_packages("{\n        a = 1;\n      }").as_bytes());
    let dir = flake_dir_with(&bytes);
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    assert!(r.stderr.starts_with("flake.nix:1:1: "), "{}", r.stderr);
    assert!(
        r.stderr.contains("byte order mark") || r.stderr.contains("BOM"),
        "{}",
        r.stderr
    );
}

#[test]
fn crlf_is_refused() {
    // A whole file with Windows line endings (e.g. a checkout with autocrlf).
    let crlf = std::fs::read_to_string(hybrid().join("flake.nix"))
        .unwrap()
        .replace('\n', "\r\n");
    let dir = plain_copy(&hybrid());
    std::fs::write(dir.path().join("flake.nix"), crlf).unwrap();
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    assert!(r.stderr.starts_with("flake.nix:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("CRLF"), "{}", r.stderr);

    // A single CRLF line: the message points at it.
    let text = flake_with_packages("{\n        a = 1;\r\n      }");
    let line = text.split('\n').position(|l| l.ends_with('\r')).unwrap() + 1;
    assert_eq!(line, 6);
    let dir = flake_dir_with(text.as_bytes());
    let r = assert_refused(dir.path(), &["apply", "split-outputs", "--write"]);
    // The carriage return follows `        a = 1;`: column 15.
    assert!(
        r.stderr.starts_with(&format!("flake.nix:{line}:15: ")),
        "expected line {line}, column 15: {}",
        r.stderr
    );
    assert!(r.stderr.contains("CRLF"), "{}", r.stderr);
}

#[test]
fn crlf_modules_are_read_but_not_edited() {
    // A module with CRLF endings that split-outputs does not edit: Nix reads
    // it, so the run goes through and leaves its bytes alone.
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let module = dir.join("modules/services/tailscale.nix");
    let crlf = std::fs::read_to_string(&module)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&module, &crlf).unwrap();
    git(dir, &["commit", "-q", "-am", "crlf"]);
    let r = run(dir, &["apply", "split-outputs", "--write"]);
    r.assert_code(0);
    assert_eq!(std::fs::read_to_string(&module).unwrap(), crlf);
    assert!(dir.join("hosts/default.nix").exists());
    // review does not call it unparsable.
    let r = run(dir, &["review"]);
    assert!(
        !r.stderr.contains("FR010") && !r.stdout.contains("FR010"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_flake_nix_that_is_a_directory_or_a_dangling_link_is_named_precisely() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("flake.nix")).unwrap();
    let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
    assert!(
        r.stderr.contains("flake.nix: is a directory, not a file"),
        "{}",
        r.stderr
    );
    let r = assert_refused(dir.path(), &["review"]);
    assert!(r.stderr.contains("is a directory"), "{}", r.stderr);
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("elsewhere/flake.nix", dir.path().join("flake.nix")).unwrap();
        // (Not assert_refused: reading the tree would follow the link.)
        let r = run(dir.path(), &["apply", "split-outputs"]);
        r.assert_code(2);
        assert!(
            r.stderr.contains(
                "flake.nix: is a symbolic link to elsewhere/flake.nix, which does not exist"
            ),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn missing_flake_nix_is_refused() {
    let dir = plain_copy(&hybrid());
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let r = assert_refused(dir.path(), &["apply", "split-outputs", "--flake", "empty"]);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    assert!(r.stderr.contains("no flake.nix"), "{}", r.stderr);

    // No flake.nix in the current directory nor above it.
    let alone = tempfile::tempdir().unwrap();
    let r = assert_refused(alone.path(), &["apply", "split-outputs"]);
    assert!(r.stderr.contains("no flake.nix"), "{}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);

    // In a git repository, the search stops at its root: a flake.nix above
    // the repository is not used.
    let outer = plain_copy(&hybrid());
    let inner = outer.path().join("repo");
    std::fs::create_dir_all(inner.join("sub")).unwrap();
    git(&inner, &["init", "-q", "-b", "main"]);
    let r = assert_refused(&inner.join("sub"), &["apply", "split-outputs"]);
    assert!(r.stderr.contains("no flake.nix"), "{}", r.stderr);
    assert!(r.stderr.contains("repository root"), "{}", r.stderr);
}

#[test]
fn nonexistent_flake_dir_is_refused() {
    let dir = plain_copy(&hybrid());
    let r = assert_refused(
        dir.path(),
        &["apply", "split-outputs", "--flake", "does/not/exist"],
    );
    assert!(r.stderr.contains("does/not/exist"), "{}", r.stderr);
}

#[test]
fn flake_pointing_at_a_file_is_refused_unless_it_is_a_flake_nix() {
    let dir = plain_copy(&hybrid());
    let r = assert_refused(
        dir.path(),
        &["apply", "split-outputs", "--flake", "home-alice.nix"],
    );
    assert!(r.stderr.contains("home-alice.nix"), "{}", r.stderr);

    // A path to a flake.nix names its directory.
    let plain = run(dir.path(), &["apply", "split-outputs"]);
    plain.assert_code(0);
    for arg in ["flake.nix", "./flake.nix"] {
        let r = run(dir.path(), &["apply", "split-outputs", "--flake", arg]);
        r.assert_code(0);
        assert_eq!(r.stdout, plain.stdout);
    }
}

#[test]
fn deeply_nested_input_neither_crashes_nor_overflows() {
    const N: usize = 5000;
    let shapes: [(&str, String); 6] = [
        ("lists", format!("{} 1\n{}", "[ ".repeat(N), "] ".repeat(N))),
        (
            "parens",
            format!("{} 1\n{}", "( ".repeat(N), ") ".repeat(N)),
        ),
        (
            "attrsets",
            format!("{} 1\n{}", "{ a = ".repeat(N), "; }".repeat(N)),
        ),
        ("lets", format!("{} 1\n", "let x = 1; in ".repeat(N))),
        ("lambdas", format!("{} 1\n", "x: ".repeat(N))),
        (
            "one-line lists",
            format!("{} 1 {}", "[".repeat(N), "]".repeat(N)),
        ),
    ];
    for (what, value) in shapes {
        let dir = flake_dir_with(flake_with_packages(&value).as_bytes());
        let before = read_tree(dir.path());
        let r = run(dir.path(), &["apply", "split-outputs"]);
        r.assert_no_panic();
        assert!(
            r.code == 0 || r.code == 2,
            "{what}: exit code {} (a crash?)\n{}",
            r.code,
            r.stderr
        );
        if r.code == 2 {
            assert!(
                location_prefix(&r.stderr).is_some_and(|(f, _, _)| f == "flake.nix"),
                "{what}: {}",
                r.stderr
            );
            assert_eq!(r.stdout, "", "{what}");
        }
        assert!(read_tree(dir.path()) == before, "{what}: the dry run wrote");

        // --write too: on success the result has what the diff promised.
        let w = run(dir.path(), &["apply", "split-outputs", "--write"]);
        w.assert_no_panic();
        assert_eq!(w.code, r.code, "{what}: --write disagrees with the dry run");
        if w.code == 2 {
            assert!(read_tree(dir.path()) == before, "{what}: a refusal wrote");
        } else if r.stdout.is_empty() {
            assert!(read_tree(dir.path()) == before, "{what}");
        } else {
            let flake = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
            assert!(flake.contains("import ./packages"), "{what}: {flake}");
        }
    }
}

/// Shapes the parser would take quadratic time on, 100,000 long.
fn adversarial_shapes() -> Vec<(&'static str, String)> {
    const N: usize = 100_000;
    vec![
        ("unary minus chain", format!("{}1", "- ".repeat(N))),
        ("negation chain", format!("{}true", "!".repeat(N))),
        (
            "selection chain",
            format!("{{ a = 1; }}.a{} or 1", ".b".repeat(N)),
        ),
        ("compact sum", vec!["1"; N].join("+")),
        ("concatenation", vec!["[ 1 ]"; N].join(" ++ ")),
        ("update chain", vec!["{ }"; N].join(" // ")),
    ]
}

#[test]
fn adversarial_chains_are_refused_quickly_at_their_place() {
    for (what, value) in adversarial_shapes() {
        let dir = flake_dir_with(flake_with_packages(&value).as_bytes());
        let start = std::time::Instant::now();
        let r = assert_refused(dir.path(), &["apply", "split-outputs"]);
        let took = start.elapsed();
        let (file, line, _) = location_prefix(&r.stderr).expect("file:line:col");
        assert_eq!(
            (file.as_str(), line),
            ("flake.nix", 5),
            "{what}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("too long to analyse safely"),
            "{what}: {}",
            r.stderr
        );
        // Quadratic parsing took minutes here; a linear scan takes a blink
        // (generous for a debug build on a loaded machine).
        assert!(took.as_secs() < 20, "{what}: {took:?}");
    }
}

#[test]
fn adversarial_chains_in_modules_are_review_findings() {
    for (what, value) in adversarial_shapes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("flake.nix"),
            "{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations.a = nixpkgs.lib.nixosSystem {\n      modules = [ ./m.nix ];\n    };\n  };\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("m.nix"),
            format!("{{\n  x = {value};\n}}\n"),
        )
        .unwrap();
        let start = std::time::Instant::now();
        let r = run(dir.path(), &["review", "--fail-on", "never"]);
        r.assert_code(0);
        assert!(r.stdout.contains("m.nix:2:"), "{what}: {}", r.stdout);
        assert!(r.stdout.contains("FR010"), "{what}: {}", r.stdout);
        assert!(
            start.elapsed().as_secs() < 20,
            "{what}: {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn unknown_codemod_is_refused() {
    let dir = plain_copy(&hybrid());
    let r = assert_refused(dir.path(), &["apply", "nope"]);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
    assert!(r.stderr.contains("split-outputs"), "lists the known ones");
    // Also after a valid one: nothing runs.
    let r = assert_refused(dir.path(), &["apply", "split-outputs", "nope", "--write"]);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

#[test]
fn conflicting_modes_are_usage_errors() {
    let dir = plain_copy(&hybrid());
    for args in [
        &["apply", "split-outputs", "--write", "--check"][..],
        &["apply", "split-outputs", "--write", "--branch"],
        &["apply", "split-outputs", "--branch", "x", "--check"],
        &["apply"],
        &["apply", "split-outputs", "--color", "sometimes"],
    ] {
        assert_refused(dir.path(), args);
    }
}

#[test]
fn bad_only_and_to_are_refused() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    for (args, needle) in [
        (&["--only", "nope"][..], "nope"),
        (&["--to", "packages"], "OUT=DIR"),
        (&["--to", "packages=../outside"], "relative path"),
        (&["--to", "packages=/abs"], "relative path"),
        (
            &["--to", "nixosConfigurationz=hosts"],
            "does not define an output `nixosConfigurationz`",
        ),
        (
            &[
                "--only",
                "packages,nixosConfigurations",
                "--to",
                "packages=hosts",
            ],
            "hosts/default.nix",
        ),
    ] {
        let mut all = vec!["apply", "split-outputs", "--write"];
        all.extend_from_slice(args);
        let r = assert_refused(dir, &all);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn an_output_whose_name_holds_an_escaped_quote_can_be_targeted() {
    let text = "{\n  outputs = { self, ... }: {\n    \"my\\\"out\" = {\n      a = 1;\n      b = 2;\n    };\n  };\n}\n";
    let dir = flake_dir_with(text.as_bytes());
    let r = run(
        dir.path(),
        &[
            "apply",
            "split-outputs",
            "--to",
            "my\"out=custom",
            "--write",
        ],
    );
    r.assert_code(0);
    let flake = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
    assert!(
        flake.contains("\"my\\\"out\" = import ./custom;"),
        "{flake}"
    );
    let moved = std::fs::read_to_string(dir.path().join("custom/default.nix")).unwrap();
    assert_eq!(moved, "{\n  a = 1;\n  b = 2;\n}\n");
}

// ---------------------------------------------------------------------------
// 7. Refusal: the target exists
// ---------------------------------------------------------------------------

#[test]
fn existing_target_is_refused_with_a_location() {
    let repo = repo_with(&case_before("existing-target"));
    let dir = repo.path();
    for mode in [None, Some("--write"), Some("--check"), Some("--branch")] {
        // Without --to the output goes to a free place (nixos/).
        let mut args = vec![
            "apply",
            "split-outputs",
            "--to",
            "nixosConfigurations=hosts",
        ];
        args.extend(mode);
        let r = assert_refused(dir, &args);
        assert!(
            r.stderr.contains("hosts/default.nix already exists"),
            "{mode:?}: {}",
            r.stderr
        );
        let (file, line, col) = location_prefix(&r.stderr)
            .unwrap_or_else(|| panic!("{mode:?}: no file:line:col prefix: {}", r.stderr));
        assert_eq!(file, "hosts/default.nix");
        assert!(line >= 1 && col >= 1);
    }
    assert_eq!(git(dir, &["branch", "--format=%(refname:short)"]), "main\n");
    // --to elsewhere resolves it.
    run(
        dir,
        &[
            "apply",
            "split-outputs",
            "--to",
            "nixosConfigurations=machines",
            "--write",
        ],
    )
    .assert_code(0);
    assert!(dir.join("machines/default.nix").is_file());
}

// ---------------------------------------------------------------------------
// 8. Nothing to do
// ---------------------------------------------------------------------------

#[test]
fn already_split_flake_has_nothing_to_do() {
    let repo = repo_with(&case_before("already-split"));
    let dir = repo.path();
    let before = read_tree(dir);
    let index = index_bytes(dir);
    for mode in [None, Some("--check"), Some("--write"), Some("--branch")] {
        let mut args = vec!["apply", "split-outputs"];
        args.extend(mode);
        let r = run(dir, &args);
        r.assert_code(0);
        assert_eq!(r.stdout, "", "{mode:?}");
        assert!(r.stderr.contains("nothing to do"), "{mode:?}: {}", r.stderr);
    }
    assert_same_tree(&read_tree(dir), &before);
    assert!(index_bytes(dir) == index);
    assert_eq!(git(dir, &["branch", "--format=%(refname:short)"]), "main\n");
}

// ---------------------------------------------------------------------------
// 9. A flake in a subdirectory
// ---------------------------------------------------------------------------

#[test]
fn subdir_flake_diff_paths_are_relative_to_the_repo_root() {
    let repo = repo_with(&case_before("subdir-flake"));
    let dir = repo.path();
    let r = run(dir, &["apply", "split-outputs", "--flake", "nix"]);
    r.assert_code(0);
    assert_eq!(
        diff_headers(&r.stdout),
        [
            "diff --git a/nix/flake.nix b/nix/flake.nix",
            "diff --git a/nix/hosts/default.nix b/nix/hosts/default.nix",
        ]
    );
    assert!(r.stdout.contains("+++ b/nix/hosts/default.nix\n"));
    assert!(
        r.stderr.contains("created: nix/hosts/default.nix"),
        "{}",
        r.stderr
    );

    // Run from inside nix/ without --flake: the same diff.
    let inside = run(&dir.join("nix"), &["apply", "split-outputs"]);
    inside.assert_code(0);
    assert_eq!(inside.stdout, r.stdout);

    // `git apply` from the repository root gives the case's expected tree.
    git_stdin(dir, &["apply", "--check"], &r.stdout);
    git_stdin(dir, &["apply"], &r.stdout);
    let applied = read_tree(dir);
    let after = fixture("codemods/split-outputs/cases/subdir-flake/after");
    if after.is_dir() {
        assert_same_tree(&applied, &read_tree(&after));
    }
    assert_same_tree(
        &applied,
        &written_tree(&case_before("subdir-flake"), &["--flake", "nix"]),
    );
}

#[test]
fn subdir_flake_write_and_branch_use_repo_paths() {
    let repo = repo_with(&case_before("subdir-flake"));
    let dir = repo.path();
    run(
        dir,
        &["apply", "split-outputs", "--flake", "nix", "--branch"],
    )
    .assert_code(0);
    let files = git(
        dir,
        &[
            "diff",
            "--name-status",
            "HEAD",
            "flake-refactor/split-outputs",
        ],
    );
    assert_eq!(files, "M\tnix/flake.nix\nA\tnix/hosts/default.nix\n");

    run(
        dir,
        &["apply", "split-outputs", "--flake", "nix", "--write"],
    )
    .assert_code(0);
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        " M nix/flake.nix\n A nix/hosts/default.nix\n"
    );
    assert_eq!(
        git(
            dir,
            &["show", "flake-refactor/split-outputs:nix/hosts/default.nix"]
        )
        .as_bytes(),
        std::fs::read(dir.join("nix/hosts/default.nix")).unwrap()
    );
}

// ---------------------------------------------------------------------------
// 10. Colour
// ---------------------------------------------------------------------------

#[test]
fn color_always_never_auto_and_no_color() {
    let dir = plain_copy(&hybrid());
    let dir = dir.path();

    let always = run(dir, &["apply", "split-outputs", "--color", "always"]);
    always.assert_code(0);
    assert!(has_ansi(&always.stdout));
    assert!(always
        .stdout
        .contains("\x1b[1mdiff --git a/checks/default.nix"));
    assert!(always.stdout.contains("\x1b[32m+"), "green additions");
    assert!(always.stdout.contains("\x1b[31m-"), "red deletions");
    assert!(always.stdout.contains("\x1b[36m@@ "), "cyan hunk headers");
    // NO_COLOR does not override an explicit --color always.
    let forced = run_env(
        dir,
        &["apply", "split-outputs", "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(forced.stdout, always.stdout);

    let plain = run(dir, &["apply", "split-outputs", "--color", "never"]);
    plain.assert_code(0);
    assert!(!has_ansi(&plain.stdout));
    assert!(!has_ansi(&plain.stderr));
    // Stripping the escapes from the coloured diff gives the plain one.
    let stripped = always
        .stdout
        .replace("\x1b[1m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[m", "");
    assert_eq!(stripped, plain.stdout);

    // Default (auto) with stdout not a terminal: no colour.
    let default = run(dir, &["apply", "split-outputs"]);
    default.assert_code(0);
    assert_eq!(default.stdout, plain.stdout);

    let no_color = run_env(
        dir,
        &["apply", "split-outputs", "--color", "auto"],
        &[("NO_COLOR", "1")],
    );
    no_color.assert_code(0);
    assert_eq!(no_color.stdout, plain.stdout);
}

/// Run the binary on a pseudo-terminal with `script(1)`; `None` if unavailable.
fn run_on_tty(dir: &Path, args: &str, no_color: Option<&str>) -> Option<String> {
    let exe = assert_cmd::cargo::cargo_bin("flake-refactor");
    let mut cmd = StdCommand::new("script");
    cmd.args([
        "-qec",
        &format!("\"$FR_EXE\" {args} 2>/dev/null"),
        "/dev/null",
    ])
    .current_dir(dir)
    .env("FR_EXE", exe)
    .env("SHELL", "/bin/sh")
    .env_remove("NO_COLOR")
    .stdin(Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().ok()?;
    if !out.status.success() || out.stdout.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn color_auto_on_a_terminal_honours_no_color() {
    let dir = plain_copy(&hybrid());
    let Some(tty) = run_on_tty(dir.path(), "apply split-outputs", None) else {
        eprintln!("note: script(1) unavailable; skipping the terminal colour check");
        return;
    };
    assert!(
        tty.contains("\x1b[1mdiff --git"),
        "auto on a terminal: {tty:?}"
    );
    let no_color = run_on_tty(dir.path(), "apply split-outputs", Some("1")).unwrap();
    assert!(no_color.contains("diff --git"));
    assert!(!has_ansi(&no_color), "NO_COLOR=1 on a terminal");
    // An empty NO_COLOR does not disable colour (no-color.org).
    let empty = run_on_tty(dir.path(), "apply split-outputs", Some("")).unwrap();
    assert!(empty.contains("\x1b[1mdiff --git"));
    let never = run_on_tty(dir.path(), "apply split-outputs --color never", None).unwrap();
    assert!(!has_ansi(&never));
}

/// Like [`run_on_tty`], with stderr on the terminal too and any exit code.
fn run_on_tty_with_stderr(dir: &Path, args: &str, no_color: Option<&str>) -> Option<String> {
    let exe = assert_cmd::cargo::cargo_bin("flake-refactor");
    let mut cmd = StdCommand::new("script");
    cmd.args(["-qec", &format!("\"$FR_EXE\" {args}; exit 0"), "/dev/null"])
        .current_dir(dir)
        .env("FR_EXE", exe)
        .env("SHELL", "/bin/sh")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().ok()?;
    if !out.status.success() || out.stdout.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn diagnostics_are_coloured_on_a_terminal_unless_no_color() {
    let dir = flake_dir_with(b"{\n  outputs = _: {\n    a = ;\n  };\n}\n");
    let Some(tty) = run_on_tty_with_stderr(dir.path(), "apply split-outputs", None) else {
        eprintln!("note: script(1) unavailable; skipping the terminal colour check");
        return;
    };
    assert!(tty.contains("error"), "{tty:?}");
    assert!(has_ansi(&tty), "auto on a terminal: {tty:?}");
    let no_color = run_on_tty_with_stderr(dir.path(), "apply split-outputs", Some("1")).unwrap();
    assert!(no_color.contains("flake.nix:3:9: error: "), "{no_color:?}");
    assert!(
        !has_ansi(&no_color),
        "NO_COLOR=1 on a terminal: {no_color:?}"
    );
    let never = run_on_tty_with_stderr(dir.path(), "review --color never", None).unwrap();
    assert!(never.contains("error: "), "{never:?}");
    assert!(!has_ansi(&never), "{never:?}");
}

// ---------------------------------------------------------------------------
// 11. list and explain
// ---------------------------------------------------------------------------

#[test]
fn list_prints_each_codemod_with_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["list"]);
    r.assert_code(0);
    let line = r
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some("split-outputs"))
        .unwrap_or_else(|| panic!("no split-outputs line:\n{}", r.stdout));
    let summary = line["split-outputs".len()..].trim();
    assert!(summary.split_whitespace().count() >= 3, "summary: {line:?}");
    assert!(!r.stdout.lines().any(|l| l.trim().is_empty()));
    assert!(!has_ansi(&r.stdout));
}

#[test]
fn explain_prints_the_readme() {
    let readme = std::fs::read(fixture("codemods/split-outputs/README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["explain", "split-outputs"]);
    r.assert_code(0);
    assert!(
        r.stdout.as_bytes() == readme.as_slice(),
        "explain is not the README"
    );
    if !readme.is_empty() {
        let lower = r.stdout.to_lowercase();
        assert!(
            lower
                .lines()
                .any(|l| l.starts_with('#') && l.contains("refuses")),
            "no `when it refuses` heading:\n{}",
            r.stdout
        );
    }

    let r = run(dir.path(), &["explain", "nope"]);
    r.assert_code(2);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// 12. Several codemods
// ---------------------------------------------------------------------------

#[test]
fn repeating_a_codemod_is_a_no_op_the_second_time() {
    let dir = plain_copy(&hybrid());
    let once = run(dir.path(), &["apply", "split-outputs"]);
    once.assert_code(0);
    let twice = run(dir.path(), &["apply", "split-outputs", "split-outputs"]);
    twice.assert_code(0);
    assert_eq!(twice.stdout, once.stdout);
    assert!(!twice.stdout.is_empty());
    let check = run(
        dir.path(),
        &["apply", "split-outputs", "split-outputs", "--check"],
    );
    check.assert_code(1);
    assert_eq!(check.stdout, once.stdout);
}

// ---------------------------------------------------------------------------
// 13. --only and --to
// ---------------------------------------------------------------------------

#[test]
fn only_and_to_move_just_one_output_where_asked() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let args = [
        "apply",
        "split-outputs",
        "--only",
        "packages",
        "--to",
        "packages=pkgs",
    ];
    let r = run(dir, &args);
    r.assert_code(0);
    assert_eq!(
        diff_headers(&r.stdout),
        [
            "diff --git a/flake.nix b/flake.nix",
            "diff --git a/pkgs/default.nix b/pkgs/default.nix",
        ]
    );

    let mut write = args.to_vec();
    write.push("--write");
    let w = run(dir, &write);
    w.assert_code(0);
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        " M flake.nix\n A pkgs/default.nix\n"
    );
    for p in HYBRID_CREATED {
        assert!(!dir.join(p).exists(), "{p} created despite --only");
    }
    let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
    assert!(flake.contains("packages = import ./pkgs"), "{flake}");
    assert!(!flake.contains("mkPackagesFor"), "the helper moved along");
    assert!(flake.contains("nixosConfigurations = {"), "others stay");
    assert!(flake.contains("devShells = forAllSystems"), "others stay");
    let pkgs = std::fs::read_to_string(dir.join("pkgs/default.nix")).unwrap();
    assert!(pkgs.contains("mkPackagesFor"), "{pkgs}");

    // Now --only packages has nothing left to do.
    let again = run(dir, &args);
    again.assert_code(0);
    assert_eq!(again.stdout, "");
}

/// Directory names for `--to` that are not plain Nix path literals must be
/// refused (exit 2, nothing written), or, if accepted, the import written to
/// flake.nix must name the directory that was created.
fn check_odd_to_dir(name: &str) {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let to = format!("packages={name}");
    let args = [
        "apply",
        "split-outputs",
        "--only",
        "packages",
        "--to",
        &to,
        "--write",
    ];
    let before = read_tree(dir);
    let r = run(dir, &args);
    r.assert_no_panic();
    match r.code {
        2 => assert!(read_tree(dir) == before, "{name:?}: refused but wrote"),
        0 => {
            let created = dir.join(name).join("default.nix");
            assert!(created.is_file(), "{name:?}: {}", r.describe());
            let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
            let line = flake
                .lines()
                .find(|l| l.trim_start().starts_with("packages = import "))
                .unwrap_or_else(|| panic!("{name:?}: no import in flake.nix"));
            // Accepted spellings: the plain path, or a path built from a string.
            let plain = format!("import ./{name} ");
            let quoted = format!("(./. + \"/{name}\")");
            let ok = (line.contains(&plain)
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-+/".contains(c)))
                || line.contains(&quoted);
            assert!(ok, "{name:?}: flake.nix imports something else: {line}");
        }
        other => panic!("{name:?}: exit code {other}\n{}", r.describe()),
    }
}

#[test]
fn to_dir_with_a_space_is_refused_or_imported_correctly() {
    check_odd_to_dir("my pkgs");
    check_odd_to_dir("x#y");
}

#[test]
fn to_dir_with_plain_path_characters_works() {
    for name in ["a+b", "nix/pkgs", "pkgs_v2.d"] {
        let repo = repo_with(&hybrid());
        let dir = repo.path();
        let to = format!("packages={name}");
        run(
            dir,
            &[
                "apply",
                "split-outputs",
                "--only",
                "packages",
                "--to",
                &to,
                "--write",
            ],
        )
        .assert_code(0);
        assert!(dir.join(name).join("default.nix").is_file(), "{name}");
        let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap();
        assert!(
            flake.contains(&format!("import ./{name} ")),
            "{name}: {flake}"
        );
    }
}

// ---------------------------------------------------------------------------
// Bugs found while writing these tests (see the ignore reasons).
// ---------------------------------------------------------------------------

#[test]
fn to_dir_with_non_path_characters_is_refused_without_panic() {
    for name in ["vérif", "a,b", "a:b", "a\"b", "a@b", "a'b", "x;y", "~x"] {
        check_odd_to_dir(name);
    }
}

#[test]
fn to_dir_with_interpolation_syntax_is_not_misread() {
    check_odd_to_dir("${\"pkgs\"}");
    check_odd_to_dir("${self}");
}

#[test]
fn closed_stdout_does_not_panic() {
    let dir = plain_copy(&hybrid());
    let exe = assert_cmd::cargo::cargo_bin("flake-refactor");
    let mut child = StdCommand::new(exe)
        .args(["apply", "split-outputs"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the diff is printed, like `| head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(
        out.status.code() != Some(2),
        "a closed pipe is not an error of the run: {stderr}"
    );
}

// ---------------------------------------------------------------------------
// Paths, modes and symbolic links
// ---------------------------------------------------------------------------

#[test]
fn flake_dirs_with_spaces_and_non_ascii_names_work() {
    for name in ["my flake", "répertoire"] {
        let src = tempfile::tempdir().unwrap();
        copy_tree(&hybrid(), &src.path().join(name));
        let repo = repo_with(src.path());
        let dir = repo.path();

        let r = run(dir, &["apply", "split-outputs", "--flake", name]);
        r.assert_code(0);
        assert!(
            r.stdout.contains(&format!("{name}/hosts/default.nix")),
            "{name}: {}",
            r.stdout
        );
        let written = written_tree(src.path(), &["--flake", name]);
        git_stdin(dir, &["apply", "--check"], &r.stdout);
        git_stdin(dir, &["apply"], &r.stdout);
        assert_same_tree(&read_tree(dir), &written);

        let repo = repo_with(src.path());
        let dir = repo.path();
        run(
            dir,
            &["apply", "split-outputs", "--flake", name, "--branch"],
        )
        .assert_code(0);
        let path = format!("flake-refactor/split-outputs:{name}/hosts/default.nix");
        assert_eq!(
            git(dir, &["show", &path]).as_bytes(),
            written[&Path::new(name).join("hosts/default.nix")].as_slice(),
            "{name}"
        );
    }
}

#[test]
fn branch_keeps_the_executable_bit() {
    use std::os::unix::fs::PermissionsExt;
    // (copy_tree does not keep modes: set the bit in the repository.)
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let flake = dir.join("flake.nix");
    std::fs::set_permissions(&flake, std::fs::Permissions::from_mode(0o755)).unwrap();
    git(dir, &["add", "flake.nix"]);
    git(dir, &["commit", "-q", "-m", "chmod +x flake.nix"]);
    assert!(git(dir, &["ls-tree", "HEAD", "flake.nix"]).starts_with("100755 "));
    run(dir, &["apply", "split-outputs", "--branch"]).assert_code(0);
    let entry = git(
        dir,
        &["ls-tree", "flake-refactor/split-outputs", "flake.nix"],
    );
    assert!(entry.starts_with("100755 blob "), "{entry}");
    let created = git(
        dir,
        &[
            "ls-tree",
            "flake-refactor/split-outputs",
            "hosts/default.nix",
        ],
    );
    assert!(created.starts_with("100644 blob "), "{created}");

    run(dir, &["apply", "split-outputs", "--write"]).assert_code(0);
    let mode = std::fs::metadata(dir.join("flake.nix"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
}

/// A git repository with examples/hybrid whose flake.nix is a symbolic link
/// to real.nix.
fn repo_with_symlinked_flake() -> tempfile::TempDir {
    let src = plain_copy(&hybrid());
    std::fs::rename(src.path().join("flake.nix"), src.path().join("real.nix")).unwrap();
    let repo = repo_with(src.path());
    std::os::unix::fs::symlink("real.nix", repo.path().join("flake.nix")).unwrap();
    git(repo.path(), &["add", "flake.nix"]);
    git(
        repo.path(),
        &["commit", "-q", "-m", "flake.nix -> real.nix"],
    );
    repo
}

#[test]
fn write_refuses_to_replace_a_symlinked_flake() {
    let repo = repo_with_symlinked_flake();
    let dir = repo.path();
    let r = assert_refused(dir, &["apply", "split-outputs", "--write"]);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(std::fs::symlink_metadata(dir.join("flake.nix"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn branch_does_not_turn_a_symlinked_flake_into_a_file() {
    let repo = repo_with_symlinked_flake();
    let dir = repo.path();
    let head_entry = git(dir, &["ls-tree", "HEAD", "flake.nix"]);
    assert!(head_entry.starts_with("120000 "), "{head_entry}");
    let r = run(dir, &["apply", "split-outputs", "--branch"]);
    r.assert_no_panic();
    if r.code == 2 {
        // Refused like --write: no branch.
        let (exists, _, _) = git_try(
            dir,
            &[
                "rev-parse",
                "--verify",
                "-q",
                "refs/heads/flake-refactor/split-outputs",
            ],
        );
        assert!(!exists);
        return;
    }
    assert_eq!(r.code, 0, "{}", r.describe());
    let entry = git(
        dir,
        &["ls-tree", "flake-refactor/split-outputs", "flake.nix"],
    );
    assert!(
        entry.starts_with("120000 "),
        "the symlink became a regular file: {entry}"
    );
}

/// `--input` and `--all-shared` reach add-follows; `--write` in a git
/// repository writes flake.lock with flake.nix, as the case's `after/`.
#[test]
fn add_follows_options_and_the_lock_written_with_the_flake() {
    let cases = fixture("codemods/add-follows/cases");
    let repo = repo_with(&cases.join("input-explicit/before"));
    run(
        repo.path(),
        &["apply", "add-follows", "--input", "agenix", "--write"],
    )
    .assert_code(0);
    assert_same_tree(
        &read_tree(repo.path()),
        &read_tree(&cases.join("input-explicit/after")),
    );

    let dir = plain_copy(&cases.join("all-shared/before"));
    let plain = run(dir.path(), &["apply", "add-follows"]);
    plain.assert_code(0);
    assert!(
        !plain.stdout.contains("utils.follows"),
        "{}",
        plain.describe()
    );
    let shared = run(dir.path(), &["apply", "add-follows", "--all-shared"]);
    shared.assert_code(0);
    assert!(
        shared
            .stdout
            .contains("+    deploy-rs.inputs.utils.follows = \"flake-utils\";"),
        "{}",
        shared.describe()
    );
    assert!(shared
        .stderr
        .contains("add-follows: deploy-rs/utils follows flake-utils: "));

    let refused = run(dir.path(), &["apply", "add-follows", "--input", "nope"]);
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("flake.nix has no input `nope`"),
        "{}",
        refused.describe()
    );
}

/// flake-parts with `--branch`: the commit body declares what flake-parts
/// changes and says that flake.lock needs `nix flake lock`.
#[test]
fn flake_parts_branch_commit_declares_its_changes() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let r = run(dir, &["apply", "flake-parts", "--branch"]);
    r.assert_code(0);
    let message = git(
        dir,
        &["log", "-1", "--format=%B", "flake-refactor/flake-parts"],
    );
    for line in [
        "flake-parts: flake.lock lacks the new flake-parts input: run `nix flake lock`",
        "`apps` now exists",
        "`nixosModules` values come out wrapped",
        "devShells, formatter move into perSystem",
    ] {
        assert!(message.contains(line), "no `{line}` in\n{message}");
    }
}
