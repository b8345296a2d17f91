//! The codemods. Each lives in its own file, implements [`Codemod`], and is
//! registered once in [`ALL`] (alphabetical). Its docs and test cases live in
//! `codemods/<name>/`; a test fails when the list, the files and the docs
//! disagree.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rnix::TextSize;

use crate::error::{Error, Location};
use crate::flake::Flake;
use crate::syntax::edit::{Edit, EditSet};
use crate::workspace::Workspace;

pub mod add_follows;
pub mod drop_osconfigfor;
pub mod extract_home_manager;
pub mod flake_parts;
pub mod split_outputs;
pub mod use_mksystem;

/// Every codemod, in alphabetical order.
pub static ALL: &[&dyn Codemod] = &[
    &add_follows::AddFollows,
    &drop_osconfigfor::DropOsconfigfor,
    &extract_home_manager::ExtractHomeManager,
    &flake_parts::FlakeParts,
    &split_outputs::SplitOutputs,
    &use_mksystem::UseMksystem,
];

/// The codemod called `name` (kebab-case, as on the command line).
pub fn find(name: &str) -> Option<&'static dyn Codemod> {
    ALL.iter().copied().find(|c| c.name() == name)
}

/// How far a codemod's result can be trusted without review (ruff's terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// The flake evaluates to the same outputs.
    Safe,
    /// The codemod declares semantic changes, listed in its result.
    Unsafe,
}

/// Options given on the command line that codemods may read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--only OUT[,OUT]`: restrict to these outputs.
    pub only: Vec<String>,
    /// `--to OUT=DIR`: target directories per output.
    pub to: Vec<(String, String)>,
    /// `--allow-breaking`: apply even where the codemod found readers that would break.
    pub allow_breaking: bool,
    /// `--input X[,X]` (add-follows): these inputs, picked explicitly.
    pub inputs: Vec<String>,
    /// `--all-shared` (add-follows): also inputs other than nixpkgs that
    /// flake.lock shows duplicated (flake-utils, systems...).
    pub all_shared: bool,
    /// `--pass-names`: split-outputs passes every input the moved code uses
    /// by name (`inherit nixpkgs home-manager self;`) instead of `inherit
    /// inputs self;` with `inherit (inputs) ...;` in the new file.
    pub pass_names: bool,
    /// `--name NAME` (use-mksystem, extract-home-manager): the name of the
    /// function the codemod creates, instead of its default.
    pub name: Option<String>,
    /// `--helper-file PATH` (use-mksystem): put a new helper in this file
    /// (relative to the flake) instead of the outputs' `let`.
    pub helper_file: Option<String>,
    /// `--remove-unused` (use-mksystem): delete helpers nothing calls, and
    /// the bindings only they used.
    pub remove_unused: bool,
    /// `--expand-systems` (flake-parts): move per-system outputs defined on
    /// fewer systems into `perSystem` anyway, declaring what appears.
    pub expand_systems: bool,
}

impl Options {
    /// Parse one `--to OUT=DIR` value.
    pub fn parse_to(value: &str) -> Result<(String, String), Error> {
        let (out, dir) = value
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--to expects OUT=DIR, got `{value}`")))?;
        let dir = dir.trim_end_matches('/');
        if out.is_empty() || dir.is_empty() {
            return Err(Error::Usage(format!("--to expects OUT=DIR, got `{value}`")));
        }
        if !is_plain_relative_path(dir) {
            return Err(Error::Usage(format!(
                "--to {out}={dir}: DIR must be a relative path inside the flake made of letters, digits, `.`, `_`, `-` and `+` (it becomes a Nix path literal), without `.` or `..` segments"
            )));
        }
        Ok((out.to_string(), dir.to_string()))
    }
}

/// Whether `path` can be written as a Nix path literal inside the flake
/// (`./PATH`): segments of letters, digits, `.`, `_`, `-` and `+`, none of
/// them `.` or `..`, and not absolute.
pub fn is_plain_relative_path(path: &str) -> bool {
    let valid_segment = |seg: &str| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
    };
    path.split('/').all(valid_segment)
}

/// What a codemod sees.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub flake: &'a Flake,
    pub options: &'a Options,
}

/// Something a codemod wants the user to know: what it declined and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub location: Option<Location>,
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: note: {}", self.message),
            None => write!(f, "note: {}", self.message),
        }
    }
}

/// The result of one codemod: edits to existing files, new files, notes,
/// a summary of what moved where, and the semantic changes it declares.
#[derive(Debug, Default)]
pub struct Fix {
    pub edits: BTreeMap<PathBuf, EditSet>,
    pub creates: BTreeMap<PathBuf, String>,
    pub notes: Vec<Note>,
    /// One line per action, for the summary and the commit body.
    pub actions: Vec<String>,
    /// Outputs whose value the codemod changes on purpose (for `--verify`),
    /// e.g. `homeConfigurations.alice`.
    pub declared_changes: Vec<String>,
    /// Comments the codemod deletes on purpose, because the code they
    /// describe goes (the `comments` check accepts exactly these losses).
    pub removed_comments: Vec<String>,
}

impl Fix {
    pub fn is_empty(&self) -> bool {
        self.edits.values().all(EditSet::is_empty) && self.creates.is_empty()
    }

    /// Add everything `other` does (a part of the same codemod's work
    /// computed on its own); overlapping edits are an internal error.
    pub fn absorb(&mut self, codemod: &str, other: Fix) -> Result<(), Error> {
        for (file, set) in other.edits {
            let into = self.edits.entry(file.clone()).or_default();
            into.merge(set).map_err(|o| Error::CheckFailed {
                check: "edits",
                location: None,
                message: format!("{codemod} produced {o} in {}", file.display()),
            })?;
        }
        self.creates.extend(other.creates);
        self.notes.extend(other.notes);
        self.actions.extend(other.actions);
        self.declared_changes.extend(other.declared_changes);
        self.removed_comments.extend(other.removed_comments);
        Ok(())
    }

    /// Add an edit of `file`; overlapping edits are an internal error that names both.
    pub fn edit(&mut self, codemod: &str, file: PathBuf, edit: Edit) -> Result<(), Error> {
        let set = self.edits.entry(file.clone()).or_default();
        set.add(edit).map_err(|o| Error::CheckFailed {
            check: "edits",
            location: None,
            message: format!("{codemod} produced {o} in {}", file.display()),
        })
    }
}

/// A codemod: one architecture recommendation carried out as a rewrite.
pub trait Codemod: Sync {
    /// Kebab-case name, as used on the command line and in `codemods/<name>/`.
    fn name(&self) -> &'static str;
    /// One line for `list`.
    fn summary(&self) -> &'static str;
    fn applicability(&self) -> Applicability;
    /// The codemod's README (shown by `explain`).
    fn docs(&self) -> &'static str;
    /// Compute the rewrite. An error is a refusal: nothing is changed.
    fn apply(&self, cx: &Context) -> Result<Fix, Error>;
}

impl Context<'_> {
    /// A refusal located at `offset` in `flake.nix`.
    pub fn refuse(&self, codemod: &str, offset: TextSize, message: impl Into<String>) -> Error {
        Error::Refused {
            codemod: codemod.to_string(),
            location: Some(self.flake.location(offset)),
            message: message.into(),
        }
    }

    /// A note located at `offset` in `flake.nix`.
    pub fn note(&self, offset: TextSize, message: impl Into<String>) -> Note {
        Note {
            location: Some(self.flake.location(offset)),
            message: message.into(),
        }
    }
}
