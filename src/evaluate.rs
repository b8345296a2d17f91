//! `apply --verify`: evaluate the flake before and after a run with the
//! user's Nix, offline, and compare what every output evaluates to.
//!
//! # How
//!
//! 1. The repository's files are copied into a fresh temporary directory
//!    `T` (without `.git` and without what git ignores, but with untracked
//!    files), and the files the run changes are written with their old
//!    content: the *before* tree.
//! 2. One `nix-instantiate --eval --strict --json` process evaluates the
//!    expression [`EXPRESSION`] (`src/evaluate.nix`, written next to `T`,
//!    never into it). It calls the flake's `outputs` itself, the way Nix's
//!    `call-flake.nix` and flake-compat do: inputs from `flake.lock` (fetched
//!    with `builtins.fetchTree`, their own inputs and `follows` resolved),
//!    and `self` = the outputs merged with a *constant* source info whose
//!    `outPath` is the string `T`. It returns one JSON string per output part
//!    (see [`Row`]).
//! 3. The files the run changes are written into the *same* `T` with their
//!    new content (deleted files removed), and the same expression runs again.
//! 4. The two results are compared part by part.
//!
//! Evaluating both sides from the same directory with the same `self` is what
//! keeps the comparison about the refactor only: path literals resolve to the
//! same absolute paths, `"${self}"` names the same place on both sides, and
//! new files need not be known to git.
//!
//! # What is compared
//!
//! - `nixosConfigurations.<h>`: `config.system.build.toplevel.drvPath`;
//! - `darwinConfigurations.<h>`: `system.drvPath` (or the toplevel's);
//! - `homeConfigurations.<u>`: `activationPackage.drvPath`;
//! - `packages`, `checks`, `devShells`: per system and name, the `drvPath`;
//!   `formatter`: per system, the `drvPath`; `apps`: per system and name;
//!   `legacyPackages`: per system, the attribute names;
//! - `overlays`, `nixosModules`, `darwinModules`, `homeManagerModules`,
//!   `homeModules`, `templates`: per name, described as below;
//! - any other output: a JSON description of its value: plain values as they
//!   are, derivations by `drvPath`, flakes (sets with `outPath`) by that path,
//!   functions by their formal arguments, paths by where they point and the
//!   sha256 of that file, and below six levels (or beyond 1000 attributes)
//!   only attribute names.
//!
//! # Failures
//!
//! `builtins.tryEval` only catches `throw` and `assert`, and loses their
//! message; any other error (a missing attribute, a file that does not exist)
//! ends the whole Nix process. So the expression traces which input it fetches
//! and which output part it evaluates; when the process fails, the last trace
//! line names the culprit: an input that could not be fetched stops the
//! verification with an error naming it; an output part is recorded as failed
//! (with the error's first line) and the side is evaluated again without it.
//! With no failure, that is one process per side. A failure with no output
//! part being evaluated (the `outputs` function itself fails) fails the whole
//! side, as do more than [`MAX_FAILURES`] failing parts.
//!
//! Nix runs like `nix --offline`: no substituters. Inputs are taken from the
//! store when their locked `narHash` is there (`path:` inputs are read from
//! their directory); any other input needs a download, which fails without a
//! network, and the error names the input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::Error;
use crate::lock::Lock;
use crate::workspace::FileChange;

/// The Nix expression evaluated for each side; see its header for the
/// arguments and the trace lines it writes.
pub const EXPRESSION: &str = include_str!("evaluate.nix");

/// After this many failing output parts, a side counts as failed as a whole.
pub const MAX_FAILURES: usize = 10;

/// The program that evaluates.
const NIX_INSTANTIATE: &str = "nix-instantiate";

/// The prefix of the expression's trace lines.
const MARKER: &str = "trace: flake-refactor-verify ";

/// The outcome of verifying one run: one row per output part, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    pub rows: Vec<Row>,
    /// How many Nix processes ran (two when nothing failed).
    pub evaluations: usize,
}

/// One output part, e.g. `nixosConfigurations.wren`, and how it compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The attribute path, e.g. `["homeConfigurations", "carol@lab"]`.
    pub path: Vec<String>,
    pub status: Status,
}

/// How an output part compares between before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The same value on both sides.
    Identical,
    /// Different (the detail says how: value, added, removed...).
    Changed(String),
    /// Failed to evaluate after the change but not before (the error's first line).
    Failed(String),
    /// Failed to evaluate before and after (the error's first line after).
    FailedBoth(String),
    /// A change or failure that a codemod declared.
    Declared(Box<Status>),
}

impl Status {
    /// Whether this status makes `apply --verify` refuse.
    pub fn is_unexpected(&self) -> bool {
        matches!(self, Status::Changed(_) | Status::Failed(_))
    }

    fn describe(&self) -> String {
        match self {
            Status::Identical => "identical".into(),
            Status::Changed(how) => format!("changed ({how})"),
            Status::Failed(msg) => format!("failed to evaluate after the change: {msg}"),
            Status::FailedBoth(msg) => format!("failed to evaluate, before and after: {msg}"),
            Status::Declared(inner) => format!("{}; declared by the codemod", inner.describe()),
        }
    }
}

impl Row {
    /// The output part as a Nix attribute path, quoting names where needed.
    pub fn output(&self) -> String {
        attr_path(&self.path)
    }
}

impl VerifyReport {
    /// Whether any output part changed or failed only after the change
    /// without a codemod declaring it.
    pub fn has_unexpected_changes(&self) -> bool {
        self.rows.iter().any(|r| r.status.is_unexpected())
    }

    /// The rows that make `apply --verify` refuse.
    pub fn unexpected(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.status.is_unexpected())
    }

    /// The table: a title line, then `output  result` per row, then counts.
    pub fn render(&self) -> String {
        let width = self
            .rows
            .iter()
            .map(|r| r.output().chars().count())
            .chain(std::iter::once("output".len()))
            .max()
            .unwrap_or(0);
        let mut out = String::from(
            "verify: the flake evaluated before and after the change, output by output:\n",
        );
        out.push_str(&format!("  {:width$}  result\n", "output"));
        for row in &self.rows {
            out.push_str(&format!(
                "  {:width$}  {}\n",
                row.output(),
                row.status.describe()
            ));
        }
        let count = |f: fn(&Status) -> bool| self.rows.iter().filter(|r| f(&r.status)).count();
        out.push_str(&format!(
            "verify: {} identical, {} changed, {} failed after the change, {} failed before and after, {} declared ({})\n",
            count(|s| matches!(s, Status::Identical)),
            count(|s| matches!(s, Status::Changed(_))),
            count(|s| matches!(s, Status::Failed(_))),
            count(|s| matches!(s, Status::FailedBoth(_))),
            count(|s| matches!(s, Status::Declared(_))),
            crate::output::term::count(self.evaluations, "nix evaluation", "nix evaluations"),
        ));
        out
    }

    /// The refusal message when [`Self::has_unexpected_changes`].
    pub fn refusal(&self) -> String {
        let names: Vec<String> = self.unexpected().map(Row::output).collect();
        format!(
            "refused: {} changed or failed to evaluate only after the change: {}; nothing was written",
            crate::output::term::count(names.len(), "output", "outputs"),
            names.join(", ")
        )
    }
}

/// Verify a run: evaluate the flake at `flake` (the `flake.nix` path,
/// relative to `root`) with the files of `root` as they are on disk plus the
/// old content of `changes` (before), then with the new content of `changes`
/// (after), and compare. `declared` lists the outputs the codemods change on
/// purpose (`Fix::declared_changes`): an entry covers the output part it
/// names and every part below it, written either as a Nix attribute path
/// (`homeConfigurations."carol@lab"`) or joined with dots.
///
/// Errors: Nix is missing, an input cannot be fetched, or the flake does not
/// evaluate at all before the change (e.g. `flake.lock` is missing while the
/// `outputs` function needs inputs).
pub fn verify(
    root: &Path,
    flake: &Path,
    changes: &[FileChange],
    declared: &[String],
) -> Result<VerifyReport, Error> {
    check_nix()?;
    let subdir = flake
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
        .to_string_lossy()
        .replace('\\', "/");
    let lock_rel = Path::new(&subdir).join("flake.lock");
    let lock_text = match changes.iter().find(|c| c.path == lock_rel) {
        Some(change) => change.old.clone(),
        None => std::fs::read_to_string(root.join(&lock_rel)).ok(),
    };
    let lock = lock_text.as_deref().and_then(|t| Lock::parse(t).ok());

    let temp = TempDir::create()?;
    let tree = temp.path.join("source");
    let expr = temp.path.join("evaluate.nix");
    write_file(&expr, EXPRESSION)?;
    copy_tree(root, &tree)?;

    let mut evaluations = 0;
    write_side(&tree, changes, Side::Before)?;
    let before = evaluate_side(&expr, &tree, &subdir, lock.as_ref(), &mut evaluations)?;
    let before = match before {
        Evaluated::Rows(rows) => rows,
        Evaluated::Failed(msg) => {
            let hint = match lock_text {
                Some(_) => String::new(),
                None => format!(
                    " ({} does not exist: --verify takes the inputs locked there; run `nix flake lock`)",
                    lock_rel.display()
                ),
            };
            return Err(Error::Verify(format!(
                "the flake does not evaluate before the change, so there is nothing to compare: {msg}{hint}"
            )));
        }
    };
    write_side(&tree, changes, Side::After)?;
    let after = evaluate_side(&expr, &tree, &subdir, lock.as_ref(), &mut evaluations)?;
    let mut report = compare(&before, &after, declared);
    report.evaluations = evaluations;
    Ok(report)
}

/// The value of an output part on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// The JSON string the expression produced.
    Ok(String),
    /// The first line of the error it failed with.
    Failed(String),
}

/// What one side evaluated to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Evaluated {
    Rows(BTreeMap<Vec<String>, Value>),
    /// The whole evaluation failed (the error's first line).
    Failed(String),
}

impl Evaluated {
    /// The value at `path`; a failed parent part (an output whose parts could
    /// not be listed) stands for all its parts.
    fn get(&self, path: &[String]) -> Option<Value> {
        match self {
            Evaluated::Failed(msg) => Some(Value::Failed(msg.clone())),
            Evaluated::Rows(rows) => rows.get(path).cloned().or_else(|| {
                (1..path.len()).find_map(|k| match rows.get(&path[..k]) {
                    Some(v @ Value::Failed(_)) => Some(v.clone()),
                    _ => None,
                })
            }),
        }
    }

    fn paths(&self) -> impl Iterator<Item = &Vec<String>> {
        match self {
            Evaluated::Rows(rows) => Some(rows.keys()),
            Evaluated::Failed(_) => None,
        }
        .into_iter()
        .flatten()
    }
}

fn compare(
    before: &BTreeMap<Vec<String>, Value>,
    after: &Evaluated,
    declared: &[String],
) -> VerifyReport {
    let before_side = Evaluated::Rows(before.clone());
    let mut paths: BTreeSet<&Vec<String>> = before.keys().collect();
    paths.extend(after.paths());
    // A failed part whose parts the other side lists is reported through them.
    let all: Vec<&Vec<String>> = paths.iter().copied().collect();
    let has_children = |p: &Vec<String>| {
        all.iter()
            .any(|q| q.len() > p.len() && q.starts_with(p.as_slice()))
    };
    let rows = all
        .iter()
        .filter(|p| !has_children(p))
        .map(|path| {
            let status = status(before_side.get(path), after.get(path));
            let status = if status != Status::Identical && covered(declared, path) {
                Status::Declared(Box::new(status))
            } else {
                status
            };
            Row {
                path: (*path).clone(),
                status,
            }
        })
        .collect();
    VerifyReport {
        rows,
        evaluations: 0,
    }
}

fn status(before: Option<Value>, after: Option<Value>) -> Status {
    match (before, after) {
        (Some(Value::Ok(a)), Some(Value::Ok(b))) if a == b => Status::Identical,
        (Some(Value::Ok(_)), Some(Value::Ok(_))) => Status::Changed("different value".into()),
        (Some(Value::Failed(_)), Some(Value::Failed(m))) => Status::FailedBoth(m),
        (_, Some(Value::Failed(m))) => Status::Failed(m),
        (Some(Value::Failed(_)), Some(Value::Ok(_))) => {
            Status::Changed("evaluates only after the change".into())
        }
        (None, Some(Value::Ok(_))) => Status::Changed("added".into()),
        (Some(_), None) => Status::Changed("removed".into()),
        (None, None) => Status::Identical,
    }
}

/// Whether a declared change covers the output part `path`.
fn covered(declared: &[String], path: &[String]) -> bool {
    (1..=path.len()).any(|k| {
        let prefix = &path[..k];
        declared
            .iter()
            .any(|d| *d == attr_path(prefix) || *d == prefix.join("."))
    })
}

/// `a.b."c@d"`: names that are not plain identifiers are quoted.
pub fn attr_path(path: &[String]) -> String {
    path.iter()
        .map(|name| {
            let plain = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
            if plain {
                name.clone()
            } else {
                let escaped = name
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace("${", "\\${")
                    .replace('\n', "\\n");
                format!("\"{escaped}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

// ---------------------------------------------------------------------------
// Running Nix
// ---------------------------------------------------------------------------

fn check_nix() -> Result<(), Error> {
    match Command::new(NIX_INSTANTIATE)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(Error::Verify(format!(
            "`{NIX_INSTANTIATE} --version` failed: {}",
            first_line(&String::from_utf8_lossy(&out.stderr))
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Verify(format!(
            "`{NIX_INSTANTIATE}` was not found on PATH: --verify evaluates the flake with Nix; install Nix (e.g. Debian's nix-bin) or leave out --verify"
        ))),
        Err(e) => Err(Error::Verify(format!("cannot run `{NIX_INSTANTIATE}`: {e}"))),
    }
}

/// Evaluate one side, again without each failing part, until it succeeds.
fn evaluate_side(
    expr: &Path,
    tree: &Path,
    subdir: &str,
    lock: Option<&Lock>,
    evaluations: &mut usize,
) -> Result<Evaluated, Error> {
    let mut failures: BTreeMap<Vec<String>, String> = BTreeMap::new();
    loop {
        let exclude: Vec<String> = failures
            .keys()
            .map(|p| serde_json::to_string(p).unwrap_or_default())
            .collect();
        let exclude = serde_json::to_string(&exclude).unwrap_or_else(|_| "[]".into());
        *evaluations += 1;
        let out = Command::new(NIX_INSTANTIATE)
            .args(["--eval", "--strict", "--json", "--read-write-mode"])
            .args(["--extra-experimental-features", "nix-command flakes"])
            .args(["--option", "substitute", "false"])
            .arg(expr)
            .args(["--argstr", "root"])
            .arg(tree)
            .args(["--argstr", "subdir", subdir])
            .args(["--argstr", "exclude", &exclude])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::Verify(format!("cannot run `{NIX_INSTANTIATE}`: {e}")))?;
        if out.status.success() {
            return parse_rows(&String::from_utf8_lossy(&out.stdout), &failures);
        }
        // Paths in messages relative to the repository, not the temporary copy.
        let stderr =
            String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", tree.display()), "");
        let diag = Diagnosis::of(&stderr);
        if let Some(node) = diag.pending_fetch {
            return Err(Error::Verify(format!(
                "input {} cannot be had offline: {}; --verify evaluates without substituters, so every input locked in flake.lock must already be in the Nix store (e.g. after `nix flake archive`)",
                describe_node(lock, &node),
                diag.error
            )));
        }
        match diag.part {
            Some(part) if !failures.contains_key(&part) => {
                failures.insert(part, diag.error.clone());
                if failures.len() > MAX_FAILURES {
                    return Ok(Evaluated::Failed(format!(
                        "more than {MAX_FAILURES} outputs fail to evaluate; the first: {}",
                        failures.values().next().cloned().unwrap_or_default()
                    )));
                }
            }
            _ => return Ok(Evaluated::Failed(diag.error)),
        }
    }
}

fn parse_rows(stdout: &str, failures: &BTreeMap<Vec<String>, String>) -> Result<Evaluated, Error> {
    let bad =
        |what: &str| Error::Verify(format!("unexpected output from {NIX_INSTANTIATE}: {what}"));
    let json: serde_json::Value = serde_json::from_str(stdout).map_err(|e| bad(&e.to_string()))?;
    let list = json
        .get("rows")
        .and_then(|r| r.as_array())
        .ok_or_else(|| bad("no `rows`"))?;
    let mut rows = BTreeMap::new();
    for row in list {
        let path: Vec<String> = row
            .get("path")
            .and_then(|p| p.as_array())
            .ok_or_else(|| bad("a row without `path`"))?
            .iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("a path that is not strings"))
            })
            .collect::<Result<_, _>>()?;
        let value = match row.get("value").and_then(|v| v.as_str()) {
            Some(v) => Value::Ok(v.to_string()),
            None => Value::Failed(
                failures
                    .get(&path)
                    .cloned()
                    .unwrap_or_else(|| "failed to evaluate".into()),
            ),
        };
        rows.insert(path, value);
    }
    Ok(Evaluated::Rows(rows))
}

/// What a failed Nix process was doing, read from its stderr.
#[derive(Debug, PartialEq, Eq)]
struct Diagnosis {
    /// A lock node whose fetch started and did not finish.
    pending_fetch: Option<String>,
    /// The output part being evaluated.
    part: Option<Vec<String>>,
    /// The error's first line.
    error: String,
}

impl Diagnosis {
    fn of(stderr: &str) -> Diagnosis {
        let mut pending_fetch = None;
        let mut part = None;
        for line in stderr.lines() {
            let Some(rest) = line.strip_prefix(MARKER) else {
                continue;
            };
            let Some((kind, json)) = rest.split_once(' ') else {
                continue;
            };
            match kind {
                "fetch" => pending_fetch = serde_json::from_str::<String>(json).ok(),
                "fetched" => pending_fetch = None,
                "output" | "row" => part = serde_json::from_str::<Vec<String>>(json).ok(),
                _ => {}
            }
        }
        Diagnosis {
            pending_fetch,
            part,
            error: error_line(stderr),
        }
    }
}

/// The first line of the error in Nix's stderr, without `error: `.
fn error_line(stderr: &str) -> String {
    let clean = strip_ansi(stderr);
    let lines: Vec<&str> = clean.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.starts_with("error:")) {
        let first = lines[i].trim_start_matches("error:").trim();
        if !first.is_empty() {
            return first.to_string();
        }
        if let Some(next) = lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
        {
            return next.to_string();
        }
    }
    let last = lines
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("trace:"));
    match last {
        Some(l) => l.to_string(),
        None => format!("{NIX_INSTANTIATE} failed"),
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `` `nixpkgs` (github:NixOS/nixpkgs/nixos-24.11) ``: a lock node and where
/// it comes from (as written in the flake that declared it).
fn describe_node(lock: Option<&Lock>, node: &str) -> String {
    let source = lock
        .and_then(|l| l.nodes.get(node))
        .and_then(|n| n.original.as_ref())
        .and_then(|o| o.describe());
    match source {
        Some(s) => format!("`{node}` ({s})"),
        None => format!("`{node}`"),
    }
}

// ---------------------------------------------------------------------------
// The temporary tree
// ---------------------------------------------------------------------------

/// A temporary directory, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn create() -> Result<TempDir, Error> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut last_err = None;
        for attempt in 0..100u32 {
            let path = base.join(format!(
                "flake-refactor-verify-{}-{nanos:x}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(io_error(&base, e)),
            }
        }
        Err(io_error(
            &base,
            last_err
                .unwrap_or_else(|| std::io::Error::other("cannot create a temporary directory")),
        ))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_file(path: &Path, content: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    }
    // Remove first: the copy may be read-only.
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(path, e)),
    }
    std::fs::write(path, content).map_err(|e| io_error(path, e))
}

#[derive(Clone, Copy)]
enum Side {
    Before,
    After,
}

/// Write the old (before) or new (after) content of every change into `tree`.
fn write_side(tree: &Path, changes: &[FileChange], side: Side) -> Result<(), Error> {
    for change in changes {
        if change
            .path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Error::Verify(format!(
                "{}: a changed path outside the repository",
                change.path.display()
            )));
        }
        let dest = tree.join(&change.path);
        let content = match side {
            Side::Before => &change.old,
            Side::After => &change.new,
        };
        match content {
            Some(text) => write_file(&dest, text)?,
            None => match std::fs::remove_file(&dest) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&dest, e)),
            },
        }
    }
    Ok(())
}

/// Copy the files under `root` into `dest`: everything but `.git`, and, in a
/// git repository, what git ignores (unless it is tracked). Symbolic links
/// are copied as links.
fn copy_tree(root: &Path, dest: &Path) -> Result<(), Error> {
    let repo = git2::Repository::open(root).ok();
    // Tracked files and the directories above them.
    let mut tracked: BTreeSet<PathBuf> = BTreeSet::new();
    if let Some(index) = repo.as_ref().and_then(|r| r.index().ok()) {
        for entry in index.iter() {
            let path = PathBuf::from(String::from_utf8_lossy(&entry.path).into_owned());
            tracked.extend(path.ancestors().map(Path::to_path_buf));
        }
    }
    let keep = |rel: &Path| -> bool {
        match &repo {
            None => true,
            Some(repo) => tracked.contains(rel) || !repo.is_path_ignored(rel).unwrap_or(false),
        }
    };
    std::fs::create_dir_all(dest).map_err(|e| io_error(dest, e))?;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            if entry.file_name() == ".git" {
                continue;
            }
            let rel = rel.join(entry.file_name());
            let from = root.join(&rel);
            let to = dest.join(&rel);
            let kind = entry.file_type().map_err(|e| io_error(&from, e))?;
            if kind.is_dir() {
                if keep(&rel) {
                    std::fs::create_dir_all(&to).map_err(|e| io_error(&to, e))?;
                    stack.push(rel);
                }
            } else if kind.is_file() {
                if keep(&rel) {
                    std::fs::copy(&from, &to).map_err(|e| io_error(&from, e))?;
                }
            } else if kind.is_symlink() && keep(&rel) {
                copy_link(&from, &to)?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> Result<(), Error> {
    let target = std::fs::read_link(from).map_err(|e| io_error(from, e))?;
    std::os::unix::fs::symlink(target, to).map_err(|e| io_error(to, e))
}

#[cfg(not(unix))]
fn copy_link(_from: &Path, _to: &Path) -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn attr_paths_quote_what_needs_it() {
        assert_eq!(
            attr_path(&p(&["nixosConfigurations", "wren"])),
            "nixosConfigurations.wren"
        );
        assert_eq!(
            attr_path(&p(&["homeConfigurations", "carol@lab"])),
            "homeConfigurations.\"carol@lab\""
        );
        assert_eq!(
            attr_path(&p(&["packages", "x86_64-linux", "sync-notes"])),
            "packages.x86_64-linux.sync-notes"
        );
        assert_eq!(
            attr_path(&p(&["a", "${x}\"", "1x"])),
            "a.\"\\${x}\\\"\".\"1x\""
        );
    }

    #[test]
    fn declared_changes_cover_parts_below_them() {
        let path = p(&["homeConfigurations", "carol@lab"]);
        assert!(covered(&["homeConfigurations".into()], &path));
        assert!(covered(&["homeConfigurations.\"carol@lab\"".into()], &path));
        assert!(covered(&["homeConfigurations.carol@lab".into()], &path));
        assert!(!covered(&["homeConfigurations.alice".into()], &path));
        assert!(!covered(&["home".into()], &path));
    }

    #[test]
    fn statuses() {
        let ok = |s: &str| Some(Value::Ok(s.into()));
        let failed = |s: &str| Some(Value::Failed(s.into()));
        assert_eq!(status(ok("a"), ok("a")), Status::Identical);
        assert!(matches!(status(ok("a"), ok("b")), Status::Changed(_)));
        assert_eq!(
            status(ok("a"), failed("boom")),
            Status::Failed("boom".into())
        );
        assert_eq!(status(None, failed("boom")), Status::Failed("boom".into()));
        assert_eq!(
            status(failed("x"), failed("y")),
            Status::FailedBoth("y".into())
        );
        assert!(matches!(status(failed("x"), ok("a")), Status::Changed(_)));
        assert_eq!(status(ok("a"), None), Status::Changed("removed".into()));
        assert_eq!(status(None, ok("a")), Status::Changed("added".into()));
    }

    #[test]
    fn compare_reports_a_failed_output_through_its_parts() {
        let mut before = BTreeMap::new();
        before.insert(p(&["nixosConfigurations"]), Value::Failed("boom".into()));
        before.insert(p(&["lib"]), Value::Ok("1".into()));
        let mut after = BTreeMap::new();
        after.insert(p(&["nixosConfigurations", "a"]), Value::Ok("x".into()));
        after.insert(p(&["lib"]), Value::Ok("2".into()));
        let report = compare(&before, &Evaluated::Rows(after), &["lib".into()]);
        assert_eq!(
            report.rows,
            vec![
                Row {
                    path: p(&["lib"]),
                    status: Status::Declared(Box::new(Status::Changed("different value".into())))
                },
                Row {
                    path: p(&["nixosConfigurations", "a"]),
                    status: Status::Changed("evaluates only after the change".into())
                },
            ]
        );
        assert!(report.has_unexpected_changes());
        assert_eq!(
            report.refusal(),
            "refused: 1 output changed or failed to evaluate only after the change: nixosConfigurations.a; nothing was written"
        );
    }

    #[test]
    fn a_whole_failed_after_side_fails_every_part() {
        let mut before = BTreeMap::new();
        before.insert(p(&["lib"]), Value::Ok("1".into()));
        let report = compare(&before, &Evaluated::Failed("boom".into()), &[]);
        assert_eq!(report.rows[0].status, Status::Failed("boom".into()));
    }

    #[test]
    fn render_aligns_the_table() {
        let report = VerifyReport {
            rows: vec![
                Row {
                    path: p(&["homeConfigurations", "carol@lab"]),
                    status: Status::Identical,
                },
                Row {
                    path: p(&["lib"]),
                    status: Status::Failed("attribute 'x' missing".into()),
                },
            ],
            evaluations: 3,
        };
        assert_eq!(
            report.render(),
            "verify: the flake evaluated before and after the change, output by output:\n\
             \x20 output                          result\n\
             \x20 homeConfigurations.\"carol@lab\"  identical\n\
             \x20 lib                             failed to evaluate after the change: attribute 'x' missing\n\
             verify: 1 identical, 0 changed, 1 failed after the change, 0 failed before and after, 0 declared (3 nix evaluations)\n"
        );
    }

    #[test]
    fn diagnosis_reads_the_trace_lines() {
        let stderr = "trace: flake-refactor-verify output [\"nixosConfigurations\"]\n\
                      trace: flake-refactor-verify row [\"nixosConfigurations\",\"a\"]\n\
                      trace: flake-refactor-verify fetch \"nixpkgs\"\n\
                      trace: flake-refactor-verify fetched \"nixpkgs\"\n\
                      trace: something else\n\
                      error: attribute 'foo' missing\n\n       at /x.nix:1:2:\n";
        assert_eq!(
            Diagnosis::of(stderr),
            Diagnosis {
                pending_fetch: None,
                part: Some(p(&["nixosConfigurations", "a"])),
                error: "attribute 'foo' missing".into()
            }
        );
        let stderr = "trace: flake-refactor-verify output [\"a\"]\n\
                      trace: flake-refactor-verify fetch \"hm\"\n\
                      warning: retrying\n\
                      error: unable to download 'https://x': Couldn't resolve host name (6)\n";
        let d = Diagnosis::of(stderr);
        assert_eq!(d.pending_fetch.as_deref(), Some("hm"));
        assert_eq!(
            d.error,
            "unable to download 'https://x': Couldn't resolve host name (6)"
        );
    }

    #[test]
    fn error_lines() {
        assert_eq!(
            error_line("error:\n       Failed assertions:\n- x\n"),
            "Failed assertions:"
        );
        assert_eq!(error_line("\u{1b}[31;1merror:\u{1b}[0m boom\n"), "boom");
        assert_eq!(error_line("trace: x\nsomething odd\n"), "something odd");
    }

    #[test]
    fn the_copy_leaves_out_git_and_what_git_ignores() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path();
        let repo = git2::Repository::init(root).unwrap();
        for (rel, text) in [
            (".gitignore", "big/\n*.log\n"),
            ("flake.nix", "{ }"),
            ("big/blob", "x"),
            ("kept.log", "tracked although ignored"),
            ("other.log", "ignored"),
            ("new/untracked.nix", "{ }"),
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut index = repo.index().unwrap();
        for rel in [".gitignore", "flake.nix", "kept.log"] {
            index.add_path(Path::new(rel)).unwrap();
        }
        index.write().unwrap();

        let dest = tempfile::tempdir().unwrap();
        copy_tree(root, dest.path()).unwrap();
        let mut copied = Vec::new();
        let mut stack = vec![dest.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e.path().strip_prefix(dest.path()).unwrap().to_path_buf();
                    copied.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        copied.sort();
        assert_eq!(
            copied,
            [".gitignore", "flake.nix", "kept.log", "new/untracked.nix"]
        );
    }

    #[test]
    fn lock_nodes_are_named_with_their_origin() {
        let lock = Lock::parse(
            r#"{"nodes":{"nixpkgs":{"original":{"type":"github","owner":"NixOS","repo":"nixpkgs","ref":"nixos-24.11"}},
                "x":{"original":{"type":"git","url":"https://e.org/x"}},"root":{"inputs":{}}},"root":"root","version":7}"#,
        )
        .unwrap();
        let lock = Some(&lock);
        assert_eq!(
            describe_node(lock, "nixpkgs"),
            "`nixpkgs` (github:NixOS/nixpkgs/nixos-24.11)"
        );
        assert_eq!(describe_node(lock, "x"), "`x` (git+https://e.org/x)");
        assert_eq!(describe_node(lock, "y"), "`y`");
        assert_eq!(describe_node(None, "y"), "`y`");
    }
}
