//! Post-checks. Every result is checked before anything is shown or written;
//! the first failure refuses the whole run and names the check and the place.
//!
//! - `parse`: every changed `.nix` file parses;
//! - `scope`: no changed file has a name that nothing binds (unless it already had it);
//! - `outputs`: the flake defines the same output names (unless a codemod declared a change);
//! - `paths`: every relative path in a changed file names something that exists
//!   (unless it named nothing before either);
//! - `comments`: no comment disappeared from the changed files;
//! - `idempotence`: running the same codemods on the result changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rnix::SyntaxKind;

use crate::engine::{is_nix, Outcome};
use crate::error::{Error, Location};
use crate::flake::Flake;
use crate::scope::ScopeIndex;
use crate::syntax::{self, ParsedFile};
use crate::workspace::{FileChange, Workspace};

type Rerun<'a> = dyn FnMut(&mut Workspace) -> Result<Vec<FileChange>, Error> + 'a;

/// Check the workspace after a run. `rerun` applies the same codemods to a
/// snapshot of the result and returns what they change.
pub fn check(
    ws: &Workspace,
    before: &Flake,
    outcome: &Outcome,
    rerun: &mut Rerun,
) -> Result<(), Error> {
    let mut old_comments: BTreeMap<String, usize> = BTreeMap::new();
    let mut new_comments: BTreeMap<String, usize> = BTreeMap::new();
    let mut old_dangling: BTreeSet<PathBuf> = BTreeSet::new();
    let mut new_paths: Vec<(PathBuf, Location)> = Vec::new();

    for change in outcome.changes.iter().filter(|c| is_nix(&c.path)) {
        let dir = change
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let old = match &change.old {
            Some(text) => syntax::parse(&change.path, text).ok(),
            None => None,
        };
        if let Some(old) = &old {
            count_comments(old, &mut old_comments);
            for (target, _) in path_targets(old, &change.path, &dir) {
                if !exists(ws, &target) {
                    old_dangling.insert(target);
                }
            }
        }
        let Some(text) = &change.new else { continue };
        let new = syntax::parse(&change.path, text).map_err(|e| Error::CheckFailed {
            check: "parse",
            location: None,
            message: e.to_string(),
        })?;
        count_comments(&new, &mut new_comments);
        new_paths.extend(path_targets(&new, &change.path, &dir));

        let allowed: BTreeSet<String> = old
            .as_ref()
            .map(|o| {
                ScopeIndex::build(&o.root)
                    .unbound()
                    .map(|r| r.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let index = ScopeIndex::build(&new.root);
        let unbound = index
            .unbound()
            .find(|r| !allowed.contains(&r.name))
            .cloned();
        if let Some(r) = unbound {
            return Err(Error::CheckFailed {
                check: "scope",
                location: Some(new.lines.location(&change.path, r.range.start())),
                message: format!("the result would use `{}`, which nothing defines there (location in the rewritten file)", r.name),
            });
        }
    }

    for (target, location) in new_paths {
        if !exists(ws, &target) && !old_dangling.contains(&target) {
            return Err(Error::CheckFailed {
                check: "paths",
                location: Some(location),
                message: format!("this path names {}, which does not exist", target.display()),
            });
        }
    }

    for removed in &outcome.removed_comments {
        if let Some(n) = old_comments.get_mut(&normalize_comment(removed)) {
            *n = n.saturating_sub(1);
        }
    }
    old_comments.retain(|_, n| *n > 0);
    if old_comments != new_comments {
        let lost = old_comments
            .iter()
            .find(|(c, n)| new_comments.get(*c).copied().unwrap_or(0) < **n)
            .map(|(c, _)| c.clone())
            .unwrap_or_default();
        return Err(Error::CheckFailed {
            check: "comments",
            location: None,
            message: format!(
                "a comment was lost: `{}`",
                lost.lines().next().unwrap_or_default()
            ),
        });
    }

    let after = Flake::load(ws, &before.path)?;
    let (old_names, new_names) = (before.output_names(), after.output_names());
    if old_names != new_names {
        let declared = |n: &String| outcome.declared_changes.contains(n);
        let undeclared: Vec<String> = old_names
            .symmetric_difference(&new_names)
            .filter(|n| !declared(n))
            .cloned()
            .collect();
        if !undeclared.is_empty() {
            return Err(Error::CheckFailed {
                check: "outputs",
                location: None,
                message: format!("the set of outputs changed: {}", undeclared.join(", ")),
            });
        }
    }

    if !outcome.changes.is_empty() {
        let mut snapshot = ws.snapshot();
        let again = rerun(&mut snapshot)?;
        if let Some(first) = again.first() {
            return Err(Error::CheckFailed {
                check: "idempotence",
                location: Some(Location::start_of(first.path.clone())),
                message: "a second run would change this file again".into(),
            });
        }
    }
    Ok(())
}

fn exists(ws: &Workspace, path: &Path) -> bool {
    ws.exists(path)
}

/// Comments, with each line's leading whitespace removed (moving code re-indents them).
fn count_comments(file: &ParsedFile, out: &mut BTreeMap<String, usize>) {
    for tok in file
        .root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        if tok.kind() == SyntaxKind::TOKEN_COMMENT {
            *out.entry(normalize_comment(tok.text())).or_default() += 1;
        }
    }
}

/// A comment with each line's leading whitespace removed.
pub fn normalize_comment(text: &str) -> String {
    text.lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The repository-relative targets of the relative path literals without
/// interpolation in `file` (which lives in `dir`). Paths that leave the
/// repository are skipped.
fn path_targets(file: &ParsedFile, path: &Path, dir: &Path) -> Vec<(PathBuf, Location)> {
    let mut out = Vec::new();
    for node in file
        .root
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL)
    {
        if node.children().next().is_some() {
            continue;
        }
        let mut target = PathBuf::new();
        let mut outside = false;
        for c in dir.join(node.text().to_string()).components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => outside |= !target.pop(),
                Component::Normal(n) => target.push(n),
                _ => outside = true,
            }
        }
        if !outside {
            out.push((target, file.lines.location(path, node.text_range().start())));
        }
    }
    out
}
