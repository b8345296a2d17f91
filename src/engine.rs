//! The pipeline: run codemods in order over the workspace, re-parse what they
//! touched, then verify the result before anything is shown or written.

use std::path::{Path, PathBuf};

use crate::codemods::{Codemod, Context, Fix, Note, Options};
use crate::error::{Error, Location};
use crate::flake::Flake;
use crate::syntax;
use crate::verify;
use crate::workspace::{FileChange, Workspace};

/// Where a flake lives: the repository root (the git work tree holding it,
/// or the flake's directory outside git) and `flake.nix` relative to it.
#[derive(Debug, Clone)]
pub struct Located {
    pub root: PathBuf,
    pub flake_path: PathBuf,
    /// Whether `root` is a git work tree.
    pub in_git: bool,
    /// Whether the flake was found by searching upward from the current
    /// directory, in a directory above it.
    pub found_above: bool,
}

/// Find the flake named by `--flake` (`arg`: a directory or a `flake.nix`),
/// or without it the nearest `flake.nix` in `cwd` or above, as cargo finds
/// `Cargo.toml`: the search stops at the git repository root (outside git,
/// at the file system root).
pub fn locate_from(arg: Option<&Path>, cwd: &Path) -> Result<Located, Error> {
    if let Some(arg) = arg {
        return locate_as(&cwd.join(arg), arg);
    }
    let start = cwd.canonicalize().map_err(|e| Error::Io {
        path: cwd.to_path_buf(),
        source: e,
    })?;
    let repo = crate::output::git::discover_root(&start);
    for dir in start.ancestors() {
        // Anything named flake.nix stops the search: a directory or a
        // dangling link there is an error that names it.
        if dir.join("flake.nix").symlink_metadata().is_ok() {
            let mut located = locate(dir)?;
            located.found_above = dir != start;
            return Ok(located);
        }
        if repo.as_deref() == Some(dir) {
            break;
        }
    }
    Err(Error::Usage(match repo {
        Some(root) if root != start => format!(
            "no flake.nix in the current directory or above it, up to the repository root {}; \
             name one with --flake",
            root.display()
        ),
        _ => "no flake.nix in the current directory or above it; name one with --flake".into(),
    }))
}

/// Find the flake in `path`, a directory holding `flake.nix` or the
/// `flake.nix` itself, and its repository root.
pub fn locate(path: &Path) -> Result<Located, Error> {
    locate_as(path, path)
}

/// [`locate`], naming the path `shown` (as the user wrote it) in errors.
fn locate_as(path: &Path, shown: &Path) -> Result<Located, Error> {
    let canonical = path.canonicalize().map_err(|e| Error::Io {
        path: shown.to_path_buf(),
        source: e,
    })?;
    let flake_dir = if canonical.is_file() {
        match (canonical.file_name(), canonical.parent()) {
            (Some(name), Some(parent)) if name == "flake.nix" => parent.to_path_buf(),
            _ => {
                return Err(Error::Usage(format!(
                    "{}: --flake takes a directory holding flake.nix, or a flake.nix",
                    shown.display()
                )))
            }
        }
    } else {
        canonical
    };
    let flake = flake_dir.join("flake.nix");
    if !flake.is_file() {
        let why = match std::fs::symlink_metadata(&flake) {
            Err(_) => {
                return Err(Error::Usage(format!(
                    "{}: no flake.nix in this directory",
                    shown.display()
                )))
            }
            Ok(meta) if meta.is_dir() => "is a directory, not a file".to_string(),
            Ok(meta) if meta.file_type().is_symlink() => match std::fs::read_link(&flake) {
                Ok(target) if flake.metadata().is_err() => format!(
                    "is a symbolic link to {}, which does not exist (or cannot be followed)",
                    target.display()
                ),
                Ok(target) => format!(
                    "is a symbolic link to {}, which is not a regular file",
                    target.display()
                ),
                Err(e) => format!("is a symbolic link that cannot be read: {e}"),
            },
            Ok(_) => "is not a regular file".to_string(),
        };
        return Err(Error::Usage(format!(
            "{}: {why}",
            shown.join("flake.nix").display()
        )));
    }
    let repo = crate::output::git::discover_root(&flake_dir);
    let root = repo.clone().unwrap_or_else(|| flake_dir.clone());
    let flake_path = flake_dir
        .strip_prefix(&root)
        .unwrap_or(Path::new(""))
        .join("flake.nix");
    Ok(Located {
        root,
        flake_path,
        in_git: repo.is_some(),
        found_above: false,
    })
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every file created, changed or deleted, sorted by path.
    pub changes: Vec<FileChange>,
    /// (codemod, note): what was declined and why.
    pub notes: Vec<(String, Note)>,
    /// (codemod, action): what moved where.
    pub actions: Vec<(String, String)>,
    /// Outputs the codemods change on purpose.
    pub declared_changes: Vec<String>,
    /// (codemod, output): who declared each of `declared_changes`.
    pub declared_by: Vec<(String, String)>,
    /// Comments the codemods delete on purpose, with the code they describe.
    pub removed_comments: Vec<String>,
}

/// How many extra rounds a chain of codemods may take to reach its fixpoint.
const MAX_ROUNDS: usize = 3;

impl Outcome {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Add what a later round of the chain did: its actions and
    /// declarations, and the notes of the codemods that changed something
    /// in it (the others repeat what the first round said), without
    /// duplicates.
    fn absorb(&mut self, more: Outcome) {
        let active: std::collections::BTreeSet<String> =
            more.actions.iter().map(|(c, _)| c.clone()).collect();
        for n in more.notes {
            if active.contains(&n.0) && !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
        for a in more.actions {
            if !self.actions.contains(&a) {
                self.actions.push(a);
            }
        }
        for d in more.declared_changes {
            if !self.declared_changes.contains(&d) {
                self.declared_changes.push(d);
            }
        }
        for d in more.declared_by {
            if !self.declared_by.contains(&d) {
                self.declared_by.push(d);
            }
        }
        self.removed_comments.extend(more.removed_comments);
    }
}

/// Run `codemods` in order on the flake at `flake_path` (relative to the
/// workspace root), each on the previous one's result, then verify.
pub fn run(
    ws: &mut Workspace,
    flake_path: &Path,
    codemods: &[&dyn Codemod],
    options: &Options,
) -> Result<Outcome, Error> {
    let before = Flake::load(ws, flake_path)?;
    let mut outcome = apply_all(ws, flake_path, codemods, options, Some(&before))?;
    // Several codemods compose: one may leave work for another that ran
    // before it (flake-parts writes a `perSystem` that split-outputs moves
    // into a module of its own). Run the chain again on its result until
    // nothing changes, so that the run is its own fixpoint and a second
    // run finds nothing to do (after MAX_ROUNDS the idempotence check
    // below decides).
    // When a round finds nothing to do, that round was the idempotence
    // check's second run: it is not run again.
    let mut settled = false;
    if codemods.len() > 1 {
        for _ in 0..MAX_ROUNDS {
            let mut next = ws.snapshot();
            let more = apply_all(&mut next, flake_path, codemods, options, None)?;
            let changes = next.changes();
            if changes.is_empty() {
                settled = true;
                break;
            }
            for c in changes {
                match c.new {
                    Some(text) => ws.write(&c.path, text)?,
                    None => ws.delete(&c.path)?,
                }
            }
            outcome.absorb(more);
        }
    }
    outcome.changes = ws.changes();
    // What the dry run shows must be writable: no path into `.git`, the Nix
    // store, or out of the repository through a symlink.
    crate::output::write::check_paths(ws.root(), &outcome.changes)?;
    verify::check(ws, &before, &outcome, &mut |snapshot| {
        if settled {
            return Ok(Vec::new());
        }
        apply_all(snapshot, flake_path, codemods, options, None).map(|_| snapshot.changes())
    })?;
    Ok(outcome)
}

/// Apply the codemods without the final verification. `loaded` is the
/// model of the workspace's current flake.nix, when the caller has it.
fn apply_all(
    ws: &mut Workspace,
    flake_path: &Path,
    codemods: &[&dyn Codemod],
    options: &Options,
    mut loaded: Option<&Flake>,
) -> Result<Outcome, Error> {
    let mut outcome = Outcome::default();
    for codemod in codemods {
        let fix = {
            // Each codemod sees the previous one's result.
            let reloaded;
            let flake = match loaded.take() {
                Some(flake) => flake,
                None => {
                    reloaded = Flake::load(ws, flake_path)?;
                    &reloaded
                }
            };
            let cx = Context { ws, flake, options };
            codemod.apply(&cx)?
        };
        let name = codemod.name().to_string();
        let touched = apply_fix(ws, &name, &fix)?;
        for path in touched.iter().filter(|p| is_nix(p)) {
            if let Some(text) = ws.read(path)? {
                syntax::parse(path, &text).map_err(|e| Error::CheckFailed {
                    check: "parse",
                    location: match &e {
                        Error::Syntax { location, .. } => Some(location.clone()),
                        _ => None,
                    },
                    message: format!("{name} produced a file that does not parse: {e}"),
                })?;
            }
        }
        outcome
            .notes
            .extend(fix.notes.into_iter().map(|n| (name.clone(), n)));
        outcome
            .actions
            .extend(fix.actions.into_iter().map(|a| (name.clone(), a)));
        outcome.declared_by.extend(
            fix.declared_changes
                .iter()
                .map(|d| (name.clone(), d.clone())),
        );
        outcome.declared_changes.extend(fix.declared_changes);
        outcome.removed_comments.extend(fix.removed_comments);
    }
    Ok(outcome)
}

fn apply_fix(ws: &mut Workspace, codemod: &str, fix: &Fix) -> Result<Vec<PathBuf>, Error> {
    // Editing through a symbolic link would rewrite its target or replace the
    // link with a file, depending on the output mode: refuse it everywhere.
    for path in fix.edits.keys().chain(fix.creates.keys()) {
        let abs = ws.root().join(path);
        let mut probe = PathBuf::new();
        for component in path.components() {
            probe.push(component);
            if ws
                .root()
                .join(&probe)
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(Error::Refused {
                    codemod: codemod.to_string(),
                    location: Some(Location::start_of(path.clone())),
                    message: format!(
                        "{} is a symbolic link ({}); flake-refactor does not edit through links",
                        probe.display(),
                        abs.display()
                    ),
                });
            }
        }
    }
    let mut touched = Vec::new();
    // Layout (see `syntax::format`): an edited file that was nixfmt-clean is
    // formatted again where the edits touched it; new files are formatted
    // when every `.nix` file the codemod edited was clean.
    let mut sources_clean = None;
    for (path, edits) in &fix.edits {
        if edits.is_empty() {
            continue;
        }
        let old = ws.read(path)?.ok_or_else(|| Error::CheckFailed {
            check: "edits",
            location: None,
            message: format!("{codemod} edits {}, which does not exist", path.display()),
        })?;
        let mut new = edits.apply(&old);
        if is_nix(path) {
            let clean = syntax::format::is_clean(&old);
            sources_clean = Some(sources_clean.unwrap_or(true) && clean);
            if clean {
                let touched = syntax::format::touched_lines(&old, edits);
                if let Some(formatted) = syntax::format::format_within(&new, &touched) {
                    new = formatted;
                }
            }
        }
        ws.write(path, new)?;
        touched.push(path.clone());
    }
    for (path, content) in &fix.creates {
        let formatted;
        let content = if is_nix(path) && sources_clean == Some(true) {
            formatted = syntax::format::format(content).unwrap_or_else(|| content.clone());
            &formatted
        } else {
            content
        };
        if let Some(existing) = ws.read(path)? {
            if &existing != content {
                return Err(Error::Refused {
                    codemod: codemod.to_string(),
                    location: Some(Location::start_of(path.clone())),
                    message: format!("{} already exists", path.display()),
                });
            }
        }
        ws.write(path, content.clone())?;
        touched.push(path.clone());
    }
    Ok(touched)
}

pub(crate) fn is_nix(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "nix")
}

/// A one-line title for a run, e.g. for a commit subject.
pub fn title(codemods: &[String], outcome: &Outcome) -> String {
    let created = outcome.changes.iter().filter(|c| c.is_create()).count();
    let changed = outcome.changes.len() - created;
    format!(
        "{} ({} created, {changed} changed)",
        codemods.join(", "),
        crate::output::term::count(created, "file", "files"),
    )
}
