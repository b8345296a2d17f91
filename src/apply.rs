//! `flake-refactor apply`: find the flake, run the codemods, verify with Nix
//! when asked, then show, write or commit the result. [`run`] never stops
//! half-way without saying where: an [`Applied`] holds everything done up
//! to the error, so that both the text and the JSON view
//! ([`crate::output::json`]) can show it.

use std::path::{Path, PathBuf};

use crate::codemods::{self, Codemod, Options};
use crate::engine::{self, Located, Outcome};
use crate::error::Error;
use crate::evaluate::{self, VerifyReport};
use crate::output::git::{self, BranchReport, Identity};
use crate::output::term::{count, Level, Painter, Paths};
use crate::output::write::WriteReport;
use crate::output::{self, report};
use crate::workspace::Workspace;

/// What to do with the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Show a unified diff.
    DryRun,
    /// Show the diff; exit 1 when there are changes.
    Check,
    /// Write the files in place (`force`: replace read-only files too).
    Write { allow_dirty: bool, force: bool },
    /// Commit onto a new branch (`None`: `flake-refactor/<codemods>`).
    Branch {
        name: Option<String>,
        force: bool,
        author: Option<Identity>,
    },
}

impl Mode {
    /// `dry-run`, `check`, `write` or `branch`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::DryRun => "dry-run",
            Mode::Check => "check",
            Mode::Write { .. } => "write",
            Mode::Branch { .. } => "branch",
        }
    }
}

/// One `apply` invocation.
#[derive(Debug, Clone)]
pub struct Request {
    /// Codemod names, in order.
    pub codemods: Vec<String>,
    /// `--flake` as given (a directory or a `flake.nix`); `None` searches
    /// upward from the current directory.
    pub flake: Option<PathBuf>,
    /// `--only`.
    pub only: Vec<String>,
    /// `--to OUT=DIR`, unparsed.
    pub to: Vec<String>,
    /// `--allow-breaking`.
    pub allow_breaking: bool,
    /// `--input X` (add-follows).
    pub inputs: Vec<String>,
    /// `--all-shared` (add-follows).
    pub all_shared: bool,
    /// `--pass-names`.
    pub pass_names: bool,
    /// `--name`.
    pub name: Option<String>,
    /// `--helper-file`.
    pub helper_file: Option<String>,
    /// `--remove-unused`.
    pub remove_unused: bool,
    /// `--expand-systems`.
    pub expand_systems: bool,
    /// `--verify`.
    pub verify: bool,
    pub mode: Mode,
}

/// Everything a run produced, up to where it stopped.
#[derive(Debug, Default)]
pub struct Applied {
    /// The flake, once found.
    pub located: Option<Located>,
    /// What recovering an interrupted earlier `--write` did (one message each).
    pub recovered: Vec<String>,
    /// What the codemods did, once they ran and every check passed.
    pub outcome: Option<Outcome>,
    /// The `--verify` comparison, when it ran.
    pub verification: Option<VerifyReport>,
    /// What `--write` wrote.
    pub written: Option<WriteReport>,
    /// What `--branch` committed.
    pub committed: Option<BranchReport>,
    /// Why the run stopped, if it did; nothing was written then.
    pub error: Option<Error>,
}

impl Applied {
    /// Whether the codemods changed something.
    pub fn has_changes(&self) -> bool {
        self.outcome.as_ref().is_some_and(|o| !o.is_empty())
    }

    /// 2 on an error or refusal, 1 for `--check` with changes, else 0.
    pub fn exit_code(&self, mode: &Mode) -> u8 {
        if let Some(Error::Interrupted(sig)) = &self.error {
            // The shell's convention for a death by signal (after rolling back).
            128u8.saturating_add(*sig as u8)
        } else if self.error.is_some() {
            2
        } else if *mode == Mode::Check && self.has_changes() {
            1
        } else {
            0
        }
    }

    /// `changes`, `nothing-to-do`, `written`, `committed` or `error`.
    pub fn status(&self) -> &'static str {
        if self.error.is_some() {
            "error"
        } else if self.committed.is_some() {
            "committed"
        } else if self.written.is_some() {
            "written"
        } else if self.has_changes() {
            "changes"
        } else {
            "nothing-to-do"
        }
    }
}

/// The branch `--branch` commits to.
pub fn branch_name(req: &Request) -> Option<String> {
    match &req.mode {
        Mode::Branch { name, .. } => Some(
            name.clone()
                .unwrap_or_else(|| format!("flake-refactor/{}", req.codemods.join("+"))),
        ),
        _ => None,
    }
}

/// Run `req` from the current directory `cwd`.
pub fn run(req: &Request, cwd: &Path) -> Applied {
    let mut applied = Applied::default();
    if let Err(e) = run_into(req, cwd, &mut applied) {
        applied.error = Some(e);
    }
    applied
}

/// The codemod called `name`, or a usage error listing the known ones.
pub fn find(name: &str) -> Result<&'static dyn Codemod, Error> {
    codemods::find(name).ok_or_else(|| {
        let names: Vec<_> = codemods::ALL.iter().map(|c| c.name()).collect();
        Error::Usage(format!(
            "unknown codemod `{name}`; known: {}",
            names.join(", ")
        ))
    })
}

fn run_into(req: &Request, cwd: &Path, applied: &mut Applied) -> Result<(), Error> {
    let selected = req
        .codemods
        .iter()
        .map(|n| find(n))
        .collect::<Result<Vec<_>, _>>()?;
    // `--name` names the one function a codemod creates; with two codemods
    // that create one, it would name both.
    let naming: Vec<&str> = req
        .codemods
        .iter()
        .map(String::as_str)
        .filter(|n| matches!(*n, "use-mksystem" | "extract-home-manager"))
        .collect();
    if req.name.is_some() && naming.len() > 1 {
        return Err(Error::Usage(format!(
            "--name is ambiguous with both {} in one run: apply them in two runs to name each function",
            naming.join(" and ")
        )));
    }
    let options = Options {
        only: req.only.clone(),
        to: req
            .to
            .iter()
            .map(|t| Options::parse_to(t))
            .collect::<Result<_, _>>()?,
        allow_breaking: req.allow_breaking,
        inputs: req.inputs.clone(),
        all_shared: req.all_shared,
        pass_names: req.pass_names,
        name: req.name.clone(),
        helper_file: req.helper_file.clone(),
        remove_unused: req.remove_unused,
        expand_systems: req.expand_systems,
    };
    let located = engine::locate_from(req.flake.as_deref(), cwd)?;
    applied.located = Some(located.clone());
    // Finish or roll back what an interrupted `--write` left behind.
    applied.recovered = output::journal::recover(&located.root)?;
    let Located {
        root,
        flake_path,
        in_git,
        ..
    } = located;

    // Refuse early what can be known before the codemods run.
    if let Mode::Branch { author, .. } = &req.mode {
        if !in_git {
            return Err(Error::Output(format!(
                "--branch needs a git repository; {} is not in one",
                root.display()
            )));
        }
        git::commit_identities(&root, author.as_ref())?;
    }

    let mut ws = Workspace::new(&root);
    let outcome = applied
        .outcome
        .insert(engine::run(&mut ws, &flake_path, &selected, &options)?);
    if outcome.is_empty() {
        return Ok(());
    }

    if req.verify {
        let report = applied.verification.insert(evaluate::verify(
            &root,
            &flake_path,
            &outcome.changes,
            &outcome.declared_changes,
        )?);
        if report.has_unexpected_changes() {
            return Err(Error::Verify(report.refusal()));
        }
    }

    match &req.mode {
        Mode::DryRun | Mode::Check => {}
        Mode::Write { allow_dirty, force } => {
            applied.written = Some(output::write::write_changes(
                &root,
                &outcome.changes,
                output::write::WriteOptions {
                    allow_dirty: *allow_dirty,
                    force: *force,
                },
            )?);
        }
        Mode::Branch { force, author, .. } => {
            let name = branch_name(req).unwrap_or_default();
            let paths: Vec<PathBuf> = outcome.changes.iter().map(|c| c.path.clone()).collect();
            let dirty = git::dirty_paths(&root, &paths)?;
            if !dirty.is_empty() {
                return Err(Error::Output(format!(
                    "refusing to commit: these files have uncommitted changes and the branch is built from HEAD: {}",
                    dirty.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                )));
            }
            let table = applied.verification.as_ref().map(VerifyReport::render);
            let message = report::commit_message_verified(&req.codemods, outcome, table.as_deref());
            applied.committed = Some(git::commit_to_branch(
                &root,
                &git::BranchRequest {
                    name: &name,
                    force: *force,
                    message: &message,
                    changes: &outcome.changes,
                    author: author.as_ref(),
                },
            )?);
        }
    }
    Ok(())
}

/// The repository-relative paths a run's messages may name: the flake, the
/// changed files, and the files of notes and of the error.
fn known_paths(applied: &Applied) -> Vec<PathBuf> {
    let mut known: Vec<PathBuf> = Vec::new();
    if let Some(l) = &applied.located {
        known.push(l.flake_path.clone());
    }
    if let Some(o) = &applied.outcome {
        known.extend(o.changes.iter().map(|c| c.path.clone()));
        known.extend(
            o.notes
                .iter()
                .filter_map(|(_, n)| n.location.as_ref().map(|l| l.file.clone())),
        );
    }
    if let Some(l) = applied
        .error
        .as_ref()
        .and_then(crate::output::term::error_location)
    {
        known.push(l.file);
    }
    known
}

/// The text view of a run: (stdout, stderr). Stdout holds the diff of a dry
/// run or `--check` (coloured with `diff_color`); stderr the notes, the
/// `--verify` table, the summary and any error, with paths shown by
/// `paths` and diagnostics by `painter`.
pub fn render_text(
    req: &Request,
    applied: &Applied,
    paths: &Paths,
    painter: Painter,
    diff_color: bool,
) -> (String, String) {
    let mut out = String::new();
    let mut err = String::new();
    for message in &applied.recovered {
        err.push_str(message);
        err.push('\n');
    }
    if let Some(located) = applied.located.as_ref().filter(|l| l.found_above) {
        err.push_str(&painter.diagnostic(
            Level::Note,
            None,
            &format!("using {}", paths.display(&located.flake_path)),
        ));
    }
    // Repository-relative paths the messages may name, shown from the
    // current directory in the texts that embed them.
    let known = known_paths(applied);
    let show = |text: &str| paths.rewrite(text, &known);
    if let Some(outcome) = &applied.outcome {
        for (_, note) in &outcome.notes {
            let at = note.location.as_ref().map(|l| paths.location(l));
            // A codemod's note that warns (`warning: ...`) is a warning.
            let (level, message) = match note.message.strip_prefix("warning: ") {
                Some(rest) => (Level::Warning, rest),
                None => (Level::Note, note.message.as_str()),
            };
            err.push_str(&painter.diagnostic(level, at.as_deref(), &show(message)));
        }
        if outcome.is_empty() {
            err.push_str(&format!(
                "nothing to do: {} would change nothing\n",
                req.codemods.join(", ")
            ));
        }
    }
    if let Some(v) = &applied.verification {
        err.push_str(&v.render());
    }
    if let Some(e) = &applied.error {
        let (location, message) = crate::output::term::split_error(e);
        let at = location.as_ref().map(|l| paths.location(l));
        err.push_str(&painter.diagnostic(Level::Error, at.as_deref(), &show(&message)));
        return (out, err);
    }
    let Some(outcome) = applied.outcome.as_ref().filter(|o| !o.is_empty()) else {
        return (out, err);
    };
    let summary = |err: &mut String| {
        for (codemod, action) in &outcome.actions {
            err.push_str(&format!("{codemod}: {}\n", show(action)));
        }
        for c in &outcome.changes {
            err.push_str(&format!(
                "{}: {}\n",
                report::verb(c),
                paths.display(&c.path)
            ));
        }
    };
    if let Some(committed) = &applied.committed {
        summary(&mut err);
        err.push_str(&format!(
            "committed {} onto branch {} (work tree, index and HEAD untouched)\n",
            &committed.commit[..12.min(committed.commit.len())],
            committed.branch
        ));
    } else if let Some(written) = &applied.written {
        summary(&mut err);
        let wrote = format!("wrote {}", count(written.written.len(), "file", "files"));
        if applied.located.as_ref().is_some_and(|l| !l.in_git) {
            err.push_str(&format!(
                "{wrote} (not a git repository: no dirty-tree check was possible)\n"
            ));
        } else {
            err.push_str(&format!("{wrote}\n"));
        }
        if !written.intent_to_add.is_empty() {
            err.push_str(&format!(
                "added to the git index as intent-to-add (like `git add -N`), so the flake can see them: {}\n",
                written
                    .intent_to_add
                    .iter()
                    .map(|p| paths.display(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    } else {
        out.push_str(&output::diff::unified_diff(&outcome.changes, diff_color));
        summary(&mut err);
    }
    (out, err)
}
