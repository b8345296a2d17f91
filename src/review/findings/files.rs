//! FR010: module files that do not parse; FR011: module paths that name
//! nothing, or files git does not track (a flake in a git repository sees
//! only tracked files).

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::Error;
use crate::review::context::Cx;
use crate::review::{Finding, Rule, Span};

pub(super) fn parse_errors(cx: &Cx) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for ((_, path), f) in &cx.graph.files {
        let Err(e) = &f.parsed else { continue };
        if !seen.insert(path.clone()) {
            continue;
        }
        let (span, message) = match e {
            Error::Syntax { location, message } => (
                Span::at(&location.file, location.line, location.col),
                message.clone(),
            ),
            Error::Encoding { message, .. } => (Span::at(path, 1, 1), message.clone()),
            other => (Span::at(path, 1, 1), other.to_string()),
        };
        out.push(Finding::new(
            Rule::ModuleParseError,
            format!("{}: {message}", cx.rel(path).display()),
            vec![span],
        ));
    }
    out
}

/// Files of the flake's own expression other than flake.nix (`hosts/default.nix`,
/// a helper file in `lib/`): an undefined variable there breaks every output
/// that reads it, and Nix rejects it before evaluating anything.
pub(super) fn program_file_errors(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in cx.flake.program_files().into_iter().skip(1) {
        let src = cx.flake.src(file);
        let path = src.path().to_path_buf();
        for r in src.scope().unbound() {
            out.push(Finding::new(
                Rule::ModuleParseError,
                format!(
                    "{}: undefined variable `{}`",
                    cx.rel(&path).display(),
                    r.name
                ),
                vec![cx
                    .span_in(file, r.range)
                    .labelled("nothing binds this name")],
            ));
        }
        // Duplicate attributes and the like, which break the file too (those
        // that only older Nix rejects are left out).
        for e in crate::syntax::checks::parse_time_errors(src.file(), &path) {
            if e.kind == crate::syntax::checks::Kind::DuplicateStrict {
                continue;
            }
            out.push(Finding::new(
                Rule::ModuleParseError,
                format!("{}: {}", cx.rel(&path).display(), e.message),
                vec![Span::at(&e.location.file, e.location.line, e.location.col)],
            ));
        }
    }
    out
}

pub(super) fn missing(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut reported: BTreeSet<PathBuf> = BTreeSet::new();
    for (path, span) in &cx.missing_roots {
        if reported.insert(path.clone()) {
            out.push(Finding::new(
                Rule::ModuleMissing,
                format!("{} does not exist", cx.rel(path).display()),
                vec![span.clone().labelled("named here")],
            ));
        }
    }
    for (_, location, path) in &cx.graph.missing {
        if reported.insert(path.clone()) {
            out.push(Finding::new(
                Rule::ModuleMissing,
                format!(
                    "{} imports {}, which does not exist",
                    cx.rel(&location.file).display(),
                    cx.rel(path).display()
                ),
                vec![Span::at(&location.file, location.line, location.col)
                    .labelled("imported from this module")],
            ));
        }
    }
    if cx.is_tracked(&cx.flake.path) == Some(false) {
        // Nothing of the flake is added yet: one finding, not one per file.
        out.push(Finding::new(
            Rule::ModuleMissing,
            format!(
                "{} is not tracked by git, so Nix cannot evaluate the flake from this repository",
                cx.flake.path.display()
            ),
            vec![Span::at(&cx.flake.path, 1, 1).labelled("not in git's index")],
        ));
    } else if cx.index.is_some() {
        let files: BTreeSet<&PathBuf> = cx.graph.files.keys().map(|(_, p)| p).collect();
        for path in files {
            if cx.is_tracked(path) == Some(false) && reported.insert(path.clone()) {
                out.push(Finding::new(
                    Rule::ModuleMissing,
                    format!(
                        "{} is not tracked by git, so the flake cannot see it",
                        cx.rel(path).display()
                    ),
                    vec![Span::at(path, 1, 1).labelled("not in git's index")],
                ));
            }
        }
    }
    out
}
