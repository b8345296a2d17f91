//! What the CLI prints for people: `error:`, `warning:` and `note:`
//! diagnostics as rustc and cargo print them (`file:line:col: error: ...`,
//! the short form when there is a place), coloured only when asked or on a
//! terminal without `NO_COLOR`; paths shown relative to the current
//! directory; and counts with the right plural.

use std::path::{Component, Path, PathBuf};

use anstyle::{AnsiColor, Style};

use crate::error::{Error, Location};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    fn style(self) -> Style {
        let color = match self {
            Level::Error => AnsiColor::BrightRed,
            Level::Warning => AnsiColor::BrightYellow,
            Level::Note => AnsiColor::BrightCyan,
        };
        Style::new().bold().fg_color(Some(color.into()))
    }
}

/// Renders diagnostics, with or without ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    /// `location: level: message` (or `level: message`), one line.
    pub fn diagnostic(&self, level: Level, location: Option<&str>, message: &str) -> String {
        let label = self.paint(level.style(), level.as_str());
        match location {
            Some(at) => format!(
                "{}: {label}: {message}\n",
                self.paint(Style::new().bold(), at)
            ),
            None => format!("{label}: {message}\n"),
        }
    }

    /// `text` in `style` when colouring.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A severity label of the review (`error`, `warning`, `info`), coloured.
    pub fn severity(&self, label: &str) -> String {
        let level = match label {
            "error" => Level::Error,
            "warning" => Level::Warning,
            _ => Level::Note,
        };
        self.paint(level.style(), label)
    }

    /// An error of the library as a diagnostic, its place shown with `paths`.
    pub fn error(&self, err: &Error, paths: &Paths) -> String {
        let (location, message) = split_error(err);
        let at = location.as_ref().map(|l| paths.location(l));
        self.diagnostic(Level::Error, at.as_deref(), &message)
    }
}

/// An error's place (when it has one, repository-relative) and its message
/// without that place.
pub fn split_error(err: &Error) -> (Option<Location>, String) {
    match err {
        Error::Syntax { location, message } => (Some(location.clone()), message.clone()),
        Error::Encoding { path, message } => {
            (Some(Location::start_of(path.clone())), message.clone())
        }
        Error::Refused {
            codemod,
            location,
            message,
        } => (location.clone(), format!("{codemod}: refused: {message}")),
        Error::CheckFailed {
            check,
            location,
            message,
        } => (
            location.clone(),
            format!("check `{check}` failed: {message}; nothing was written"),
        ),
        other => (None, other.to_string()),
    }
}

/// An error's place, when it has one.
pub fn error_location(err: &Error) -> Option<Location> {
    split_error(err).0
}

/// How repository-relative paths are shown: relative to the current
/// directory, as ruff and compilers do, so that they can be opened from
/// where the user stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    root: PathBuf,
    cwd: PathBuf,
}

impl Paths {
    /// Paths under `root` shown from `cwd` (both absolute; canonicalized here
    /// when possible, so that symbolic links such as `/tmp` agree).
    pub fn new(root: &Path, cwd: &Path) -> Paths {
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        Paths {
            root: canon(root),
            cwd: canon(cwd),
        }
    }

    /// Paths shown as they are (repository-relative).
    pub fn identity() -> Paths {
        Paths {
            root: PathBuf::new(),
            cwd: PathBuf::new(),
        }
    }

    /// The repository root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` (relative to the root) as seen from the current directory:
    /// relative when the current directory is inside the repository or the
    /// file is below the current directory, absolute otherwise.
    pub fn show(&self, path: &Path) -> PathBuf {
        if self.root == self.cwd {
            return path.to_path_buf();
        }
        let abs = self.root.join(path);
        if self.cwd.starts_with(&self.root) || abs.starts_with(&self.cwd) {
            relative(&self.cwd, &abs)
        } else {
            abs
        }
    }

    /// [`Self::show`] as a string.
    pub fn display(&self, path: &Path) -> String {
        self.show(path).display().to_string()
    }

    /// `text` with each whole-word occurrence of one of the `known`
    /// repository-relative paths shown from the current directory (for
    /// messages that embed paths, e.g. `moved ... (flake.nix:12:5) to
    /// hosts/default.nix`). A path counts only between separators: not
    /// after `/` or a letter, and followed by `:`, `,`, `;`, `)`, a quote,
    /// a space or the end.
    pub fn rewrite(&self, text: &str, known: &[PathBuf]) -> String {
        if self.root == self.cwd || known.is_empty() {
            return text.to_string();
        }
        let mut names: Vec<(String, String)> = known
            .iter()
            .filter_map(|p| Some((p.to_str()?.to_string(), self.display(p))))
            .filter(|(from, to)| !from.is_empty() && from != to)
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        names.dedup();
        let before_ok = |c: Option<char>| c.is_none_or(|c| " (`'\"\t\n=".contains(c));
        let after_ok = |c: Option<char>| c.is_none_or(|c| ":,;) `'\"\t\n".contains(c));
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'scan: while i < text.len() {
            let prev = text[..i].chars().next_back();
            if before_ok(prev) {
                for (from, to) in &names {
                    if text[i..].starts_with(from.as_str())
                        && after_ok(text[i + from.len()..].chars().next())
                    {
                        out.push_str(to);
                        i += from.len();
                        continue 'scan;
                    }
                }
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// `file:line:col` with the file as seen from the current directory.
    pub fn location(&self, l: &Location) -> String {
        format!("{}:{}:{}", self.display(&l.file), l.line, l.col)
    }
}

/// `to` relative to `from`, both absolute: the common prefix dropped, one
/// `..` per remaining component of `from`.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.iter().collect();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `1 file`, `2 files`: `n` and the noun in the right number.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
        assert_eq!(r("/repo", "/repo/flake.nix"), Path::new("flake.nix"));
        assert_eq!(
            r("/repo/modules/x", "/repo/flake.nix"),
            Path::new("../../flake.nix")
        );
        assert_eq!(r("/repo/a", "/repo/b/c.nix"), Path::new("../b/c.nix"));
        assert_eq!(r("/repo", "/repo"), Path::new("."));
    }

    #[test]
    fn rewrite_embedded_paths() {
        let paths = Paths {
            root: "/repo".into(),
            cwd: "/repo/modules".into(),
        };
        let known = [
            PathBuf::from("flake.nix"),
            PathBuf::from("hosts/default.nix"),
        ];
        assert_eq!(
            paths.rewrite(
                "moved `x` (flake.nix:12:5) to hosts/default.nix, passing a",
                &known
            ),
            "moved `x` (../flake.nix:12:5) to ../hosts/default.nix, passing a"
        );
        // Not inside another path or word.
        assert_eq!(
            paths.rewrite("nix/hosts/default.nix and myflake.nix", &known),
            "nix/hosts/default.nix and myflake.nix"
        );
        // Nothing to do from the root.
        let same = Paths {
            root: "/repo".into(),
            cwd: "/repo".into(),
        };
        assert_eq!(same.rewrite("flake.nix:1:1", &known), "flake.nix:1:1");
    }

    #[test]
    fn diagnostics_and_colour() {
        let plain = Painter { color: false };
        assert_eq!(
            plain.diagnostic(Level::Error, Some("flake.nix:1:2"), "bad"),
            "flake.nix:1:2: error: bad\n"
        );
        assert_eq!(plain.diagnostic(Level::Note, None, "n"), "note: n\n");
        let color = Painter { color: true };
        let line = color.diagnostic(Level::Warning, None, "w");
        assert!(line.contains("\x1b["), "{line:?}");
        assert!(line.ends_with("warning\x1b[0m: w\n"), "{line:?}");
    }

    #[test]
    fn counts() {
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(2, "definition", "definitions"), "2 definitions");
    }
}
