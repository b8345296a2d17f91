//! Post-checks. Every result is checked before anything is shown or written;
//! the first failure refuses the whole run and names the check and the place.
//!
//! - `parse`: every changed `.nix` file parses;
//! - `scope`: no changed file has a name that nothing binds (unless it already had it);
//! - `parse-time`: no changed file gains an error that Nix reports when it
//!   parses the file but rnix accepts (`syntax::checks`): an attribute
//!   defined twice (in a set, `rec` set or `let`, through dotted paths,
//!   quoted names, `${"literal"}` keys and `inherit`; a whole set defined
//!   over a set, which Nix 2.8 merges but Nix 2.0 rejects), a function
//!   argument declared twice, a dynamic attribute in `let` or `inherit`; and
//!   a dynamic key known statically (`${h}` with `h` a `let`-bound string)
//!   that names a key the set already has, which fails at evaluation. Errors
//!   the changed files already had before the run are allowed;
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
use crate::syntax::checks::{parse_time_errors, Kind, ParseTimeError};
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
    let mut new_parse_time: Vec<(Vec<ParseTimeError>, Vec<ParseTimeError>)> = Vec::new();

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

        let was = old
            .as_ref()
            .map(|o| parse_time_errors(o, &change.path))
            .unwrap_or_default();
        new_parse_time.push((was, parse_time_errors(&new, &change.path)));

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

    if let Some(e) = new_parse_time_error(&new_parse_time) {
        return Err(Error::CheckFailed {
            check: "parse-time",
            location: Some(e.location.clone()),
            message: format!("{} (location in the rewritten file)", e.message),
        });
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

type ErrorKey = (Kind, String);

fn count_keys<'a>(
    errors: impl IntoIterator<Item = &'a ParseTimeError>,
) -> BTreeMap<ErrorKey, usize> {
    let mut out = BTreeMap::new();
    for e in errors {
        *out.entry((e.kind, e.name.clone())).or_default() += 1;
    }
    out
}

/// The first parse-time error the result has more often than the changed
/// files had before the run (counted by kind and name over all changed files,
/// so that code moved to a new file keeps the errors it had). `files` holds
/// each changed file's errors before and after; an error of a file that has
/// more of its kind and name than before is preferred.
fn new_parse_time_error(
    files: &[(Vec<ParseTimeError>, Vec<ParseTimeError>)],
) -> Option<&ParseTimeError> {
    let old_total = count_keys(files.iter().flat_map(|(old, _)| old));
    let new_total = count_keys(files.iter().flat_map(|(_, new)| new));
    let grown = |k: &ErrorKey| new_total.get(k) > old_total.get(k);
    let mut fallback = None;
    for (old, new) in files {
        let (old_here, new_here) = (count_keys(old), count_keys(new));
        for e in new {
            let key = (e.kind, e.name.clone());
            if !grown(&key) {
                continue;
            }
            if new_here.get(&key) > old_here.get(&key) {
                return Some(e);
            }
            fallback = fallback.or(Some(e));
        }
    }
    fallback
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

#[cfg(test)]
mod tests {
    use super::*;

    const FLAKE: &str =
        "{\n  outputs = { self }: {\n    a = 1;\n    b = { x = 1; x = 2; };\n  };\n}\n";

    /// Run the checks on `flake.nix` (holding `FLAKE` on disk) after writing `files`.
    fn check_after(files: &[(&str, &str)]) -> Result<(), Error> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flake.nix"), FLAKE).unwrap();
        let mut ws = Workspace::new(dir.path());
        let before = Flake::load(&ws, Path::new("flake.nix")).unwrap();
        for (path, text) in files {
            ws.write(Path::new(path), text.to_string()).unwrap();
        }
        let outcome = Outcome {
            changes: ws.changes(),
            ..Outcome::default()
        };
        check(&ws, &before, &outcome, &mut |_| Ok(Vec::new()))
    }

    #[test]
    fn a_new_duplicate_fails_at_the_second_definition() {
        let new = FLAKE.replace("a = 1;", "a = 1;\n    a.c = 2;");
        let err = check_after(&[("flake.nix", &new)]).unwrap_err();
        let Error::CheckFailed {
            check,
            location,
            message,
        } = err
        else {
            panic!("{err}")
        };
        assert_eq!(check, "parse-time");
        assert_eq!(location.map(|l| (l.line, l.col)), Some((4, 5)));
        assert!(
            message.contains("`a.c`") && message.contains("3:5"),
            "{message}"
        );
    }

    #[test]
    fn duplicates_the_files_had_are_allowed_where_they_move() {
        // `b.x` is defined twice before the run already.
        let new = FLAKE.replace("a = 1;", "a = 2;");
        check_after(&[("flake.nix", &new)]).unwrap();
        let moved = FLAKE.replace("b = { x = 1; x = 2; };", "b = import ./b.nix;");
        check_after(&[("flake.nix", &moved), ("b.nix", "{ x = 1; x = 2; }\n")]).unwrap();
        // A second copy is new.
        let err = check_after(&[("flake.nix", &new), ("b.nix", "{ x = 1; x = 2; }\n")]);
        assert!(
            matches!(
                err,
                Err(Error::CheckFailed {
                    check: "parse-time",
                    ..
                })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn new_formals_and_dynamic_let_keys_fail() {
        let new = FLAKE.replace("{ self }", "{ self, self }");
        let err = check_after(&[("flake.nix", &new)]).unwrap_err();
        assert!(err.to_string().contains("declared twice"), "{err}");
        let new = FLAKE.replace("a = 1;", "a = let ${self.x} = 1; in 2;");
        let err = check_after(&[("flake.nix", &new)]).unwrap_err();
        assert!(err.to_string().contains("in `let`"), "{err}");
        let new = FLAKE.replace("a = 1;", "a = let h = \"y\"; in { ${h} = 1; y = 2; };");
        let err = check_after(&[("flake.nix", &new)]).unwrap_err();
        assert!(err.to_string().contains("fails at evaluation"), "{err}");
    }
}
