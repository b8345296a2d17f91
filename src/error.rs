//! Typed errors of the library. The binary turns them into
//! `file:line:col: message` lines and exit code 2.

use std::fmt;
use std::path::PathBuf;

/// A position in a file, 1-based line and column (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Location {
    /// The start of `file` (for messages about a file as a whole).
    pub fn start_of(file: impl Into<PathBuf>) -> Location {
        Location {
            file: file.into(),
            line: 1,
            col: 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// Everything that makes a run stop without writing anything.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file that is not valid Nix (or not readable as source text).
    #[error("{location}: {message}")]
    Syntax { location: Location, message: String },
    /// A file whose bytes cannot be read as Nix source. Decoding no longer
    /// produces it (`syntax::decode_source` reports encoding errors as
    /// `Syntax`, at the offending byte); kept while `modules.rs` matches it.
    #[error("{}:1:1: {message}", path.display())]
    Encoding { path: PathBuf, message: String },
    /// A codemod declined to run; nothing was changed.
    #[error("{}", fmt_refusal(.codemod, .location, .message))]
    Refused {
        codemod: String,
        location: Option<Location>,
        message: String,
    },
    /// A post-check failed on a result; the run is refused.
    #[error("{}", fmt_check(.check, .location, .message))]
    CheckFailed {
        check: &'static str,
        location: Option<Location>,
        message: String,
    },
    /// Anything the user asked for that cannot be done (unknown codemod, bad option...).
    #[error("{0}")]
    Usage(String),
    /// An output step (write, git) failed or refused.
    #[error("{0}")]
    Output(String),
    /// `--verify` could not evaluate, or refused because an output changed.
    #[error("--verify: {0}")]
    Verify(String),
    /// A signal arrived during `--write`; the transaction was rolled back.
    #[error(
        "interrupted by {}; the write was rolled back, nothing was written",
        crate::output::signals::name(*.0)
    )]
    Interrupted(i32),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn fmt_refusal(codemod: &str, location: &Option<Location>, message: &str) -> String {
    match location {
        Some(l) => format!("{l}: {codemod}: refused: {message}"),
        None => format!("{codemod}: refused: {message}"),
    }
}

fn fmt_check(check: &str, location: &Option<Location>, message: &str) -> String {
    match location {
        Some(l) => format!("{l}: check `{check}` failed: {message}; nothing was written"),
        None => format!("check `{check}` failed: {message}; nothing was written"),
    }
}
