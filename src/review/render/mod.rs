//! Rendering a [`Report`](super::Report): compiler-style text, a Markdown
//! document that reads like a hand-written review, JSON (a documented,
//! versioned schema: `docs/review.md`) and SARIF 2.1.0.

mod json;
mod markdown;
mod sarif;
mod text;

use std::path::{Path, PathBuf};

use super::Report;
use crate::error::Error;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: warning[FR002]: ...` lines, then the overview.
    Text,
    /// A review document.
    Markdown,
    /// The JSON schema of `docs/review.md`.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// Render `report` in `format`.
pub fn render(report: &Report, format: Format) -> Result<String, Error> {
    render_with(report, format, &RenderOptions::default())
}

/// What the command line adds to a rendering.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// The repository root: `root` in JSON, `originalUriBaseIds` in SARIF.
    pub root: Option<PathBuf>,
    /// Colour the severities of the text format.
    pub color: bool,
}

/// Render `report` in `format`, with `options`.
pub fn render_with(
    report: &Report,
    format: Format,
    options: &RenderOptions,
) -> Result<String, Error> {
    match format {
        Format::Text => Ok(text::render(report, options.color)),
        Format::Markdown => Ok(markdown::render(report)),
        Format::Json => json::render(report, options.root.as_deref()),
        Format::Sarif => sarif::render(report, options.root.as_deref()),
    }
}

/// The document a machine format prints when the review could not run
/// (`flake.nix` missing, unreadable or not valid Nix): JSON with an `error`
/// object, SARIF with a failed invocation. `None` for the human formats,
/// which print the error as a diagnostic instead.
pub fn render_error(
    err: &Error,
    format: Format,
    flake: Option<&Path>,
    root: Option<&Path>,
) -> Option<Result<String, Error>> {
    match format {
        Format::Text | Format::Markdown => None,
        Format::Json => Some(json::render_error(err, flake, root)),
        Format::Sarif => Some(sarif::render_error(err, root)),
    }
}

pub use json::SCHEMA_VERSION;

/// Word-wrap `text` at `width` columns: the first line starts with
/// `first`, the others with `indent`.
fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut has_word = false;
    for word in text.split_whitespace() {
        if has_word && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
            has_word = false;
        }
        if has_word {
            line.push(' ');
        }
        line.push_str(word);
        has_word = true;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_words() {
        assert_eq!(
            wrap("aaa bbb ccc ddd", 9, "> ", "  "),
            "> aaa bbb\n  ccc ddd\n"
        );
    }
}
