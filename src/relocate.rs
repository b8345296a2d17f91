//! Moving code from one file to another without changing what it means.
//!
//! Three things change when an expression moves to a new file, and this
//! module handles each for every codemod:
//! - **scope**: [`plan_move`] lists the names the new file must receive
//!   (free variables bound lexically at the old place), the `let` bindings that
//!   can travel with the code because nothing else uses them, and the `with`
//!   scopes that must be carried because a name may come from one;
//! - **paths**: [`rebase_path`] rewrites relative path literals so they name
//!   the same file from the new directory;
//! - **layout**: [`relocated_text`] shifts the code's indentation without
//!   changing any string (see `syntax::indent`).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::scope::{is_builtin, BinderKind, ScopeIndex};
use crate::syntax::edit::{Edit, EditSet};
use crate::syntax::indent::{shift_edits, Shift};

/// What moving an expression requires.
#[derive(Debug, Default)]
pub struct MovePlan {
    /// Names the new file receives, sorted.
    pub pass: Vec<String>,
    /// Binders (indexes into the scope index) of `let` bindings that move with the code,
    /// in source order.
    pub moved: Vec<usize>,
    /// `with` expressions the new file must repeat, outermost first.
    pub withs: Vec<SyntaxNode>,
}

/// Why an expression cannot be moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveError {
    /// A name no binder, builtin or `with` provides (the input is already broken).
    Unbound { name: String, range: TextRange },
    /// A `with` namespace uses a name that means something else where the code is.
    ShadowedWith { name: String, range: TextRange },
}

/// Plan moving `exprs` (one expression, or several that sit in the same
/// attribute set) out of their file. Only `let` bindings of the scopes in
/// `movable_lets` may travel with them, and only when nothing outside the
/// moved code uses them.
pub fn plan_move(
    scope: &ScopeIndex,
    exprs: &[SyntaxNode],
    movable_lets: &[SyntaxNode],
) -> Result<MovePlan, MoveError> {
    let Some(expr) = exprs.first() else {
        return Ok(MovePlan::default());
    };
    let roots: Vec<TextRange> = exprs.iter().map(|e| e.text_range()).collect();
    let expr_range = expr.text_range();
    let movable_scope = |b: usize| {
        let binder = &scope.binders[b];
        binder.kind == BinderKind::Let && movable_lets.contains(&binder.scope)
    };

    // 1. The `let` bindings only the moved code uses travel with it.
    let candidates = scope.exclusively_used(&roots, movable_scope);

    // 3. Names to pass and whether a `with` is needed.
    let mut moved_ranges: Vec<TextRange> = roots.clone();
    moved_ranges.extend(
        candidates
            .iter()
            .flat_map(|&b| scope.binders[b].entries.iter().map(|e| e.text_range())),
    );
    let mut pass: BTreeSet<String> = BTreeSet::new();
    let mut needs_with = None;
    for range in &moved_ranges {
        for r in scope.free_in(*range) {
            match r.binder {
                Some(b) if candidates.contains(&b) => {}
                Some(b) => {
                    pass.insert(scope.binders[b].name.clone());
                }
                None if is_builtin(&r.name) => {}
                None => {
                    // Inner `with`s move with the code; only enclosing ones matter.
                    let inner = r.withs.iter().any(|w| {
                        moved_ranges
                            .iter()
                            .any(|m| m.contains_range(w.text_range()))
                    });
                    if !inner {
                        if r.withs.is_empty() {
                            return Err(MoveError::Unbound {
                                name: r.name.clone(),
                                range: r.range,
                            });
                        }
                        needs_with.get_or_insert((r.name.clone(), r.range));
                    }
                }
            }
        }
    }

    // 4. Enclosing `with`s, when a name may come from one.
    let mut withs = Vec::new();
    if needs_with.is_some() {
        withs = crate::scope::enclosing_withs(expr);
        for w in &withs {
            let Some(ns) = w.children().next() else {
                continue;
            };
            for r in scope.free_in(ns.text_range()) {
                let Some(b) = r.binder else {
                    if r.withs.is_empty() && !is_builtin(&r.name) {
                        return Err(MoveError::Unbound {
                            name: r.name.clone(),
                            range: r.range,
                        });
                    }
                    continue;
                };
                // The name must mean the same at the place the code leaves.
                if resolve_at(scope, &r.name, expr_range) != Some(b) {
                    return Err(MoveError::ShadowedWith {
                        name: r.name.clone(),
                        range: r.range,
                    });
                }
                pass.insert(r.name.clone());
            }
        }
    }

    let mut moved: Vec<usize> = candidates.into_iter().collect();
    moved.sort_by_key(|&b| scope.binders[b].entries[0].text_range().start());
    Ok(MovePlan {
        pass: pass.into_iter().collect(),
        moved,
        withs,
    })
}

/// The binder `name` refers to at `range` (the innermost binding scope that
/// contains it).
pub fn resolve_at(scope: &ScopeIndex, name: &str, range: TextRange) -> Option<usize> {
    scope
        .binders
        .iter()
        .enumerate()
        .filter(|(_, b)| b.name == name && b.scope.text_range().contains_range(range))
        .min_by_key(|(_, b)| b.scope.text_range().len())
        .map(|(i, _)| i)
}

/// Normalise a relative path lexically (Nix does the same with path literals).
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            Component::Normal(_) => out.push(c),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

/// `to` relative to directory `from` (both relative to one root, normalised).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if from[common..]
        .iter()
        .any(|c| matches!(c, Component::ParentDir))
    {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    Some(out)
}

fn as_literal(rel: &Path, trailing_slash: bool) -> String {
    let s = rel.to_string_lossy().replace('\\', "/");
    let base = if s.is_empty() {
        ".".to_string()
    } else if s.starts_with("..") {
        s
    } else {
        format!("./{s}")
    };
    if trailing_slash {
        if base == "." {
            "./".into()
        } else {
            format!("{base}/")
        }
    } else if base == "." || base == ".." || base.ends_with("/..") {
        // `.` and `..` alone are not path literals.
        format!("{base}/.")
    } else {
        base
    }
}

/// Rewrite the literal start of a relative path (the text of its first
/// `TOKEN_PATH_REL`) so that, written in a file in `to_dir`, it names what it
/// named in a file in `from_dir`. `interpolated` says whether an
/// interpolation follows the literal. Directories are relative to one root.
/// Returns `None` when the path cannot be expressed (it climbs out of the
/// root through `to_dir`).
pub fn rebase_path(
    literal: &str,
    interpolated: bool,
    from_dir: &Path,
    to_dir: &Path,
) -> Option<String> {
    if from_dir == to_dir {
        return Some(literal.to_string());
    }
    let (dir_part, tail) = if interpolated {
        let i = literal.rfind('/')?;
        (&literal[..=i], &literal[i + 1..])
    } else {
        (literal, "")
    };
    let target = normalize(&from_dir.join(dir_part))?;
    let rel = relative(&normalize(to_dir)?, &target)?;
    Some(format!("{}{tail}", as_literal(&rel, interpolated)))
}

/// The text of `range` of `root` as it must read in a file in `to_dir`:
/// relative paths rebased from `from_dir`, lines shifted by `shift`.
/// Fails with the range of the first path that cannot be rebased.
pub fn relocated_text(
    root: &SyntaxNode,
    range: TextRange,
    from_dir: &Path,
    to_dir: &Path,
    shift: Shift,
) -> Result<String, TextRange> {
    let mut edits = EditSet::new();
    let node = crate::syntax::covering_node(root, range);
    for path in node
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL && range.contains_range(n.text_range()))
    {
        let Some(first) = path.first_token() else {
            continue;
        };
        if first.kind() != SyntaxKind::TOKEN_PATH_REL {
            continue;
        }
        let interpolated = path.children().next().is_some();
        let new =
            rebase_path(first.text(), interpolated, from_dir, to_dir).ok_or(path.text_range())?;
        if new != first.text() {
            edits
                .add(Edit::replace(first.text_range(), new))
                .map_err(|_| path.text_range())?;
        }
    }
    for e in shift_edits(root, range, shift) {
        edits.add(e).map_err(|o| o.second)?;
    }
    Ok(edits.apply_within(&node.text().to_string(), node.text_range().start(), range))
}

/// The lines of `range` as an entry of an attribute set or `let` in a file
/// in `to_dir`: [`relocated_text`], shifted from the indentation of the line
/// `range` starts on to one `unit`, without a final newline.
pub fn relocated_entry(
    root: &SyntaxNode,
    text: &str,
    range: TextRange,
    from_dir: &Path,
    to_dir: &Path,
    unit: &str,
) -> Result<String, TextRange> {
    let start = usize::from(range.start());
    let indent = crate::syntax::line_indent(text, start);
    let moved = relocated_text(
        root,
        range,
        from_dir,
        to_dir,
        Shift {
            remove: indent,
            add: unit,
        },
    )?;
    // The first line is not shifted by `relocated_text`: it starts before the range.
    let first_line_done = crate::syntax::starts_line(text, start) && moved.starts_with(indent);
    let body = if first_line_done {
        &moved[indent.len()..]
    } else {
        moved.trim_start()
    };
    Ok(format!("{unit}{}", body.trim_end_matches('\n')))
}

/// The text range a `let` entry occupies together with the comments attached
/// to it: comment lines directly above (no blank line between) and a comment
/// after it on the same line. When the entry starts its line, the range runs
/// from the start of that line to the end of its last line (newline included).
pub fn attached_range(entry: &SyntaxNode, text: &str) -> TextRange {
    let mut start = entry.text_range().start();
    let mut end = entry.text_range().end();
    // A comment before the entry on its line (`/* note */ a = 1;`) is its.
    let mut first = entry.first_token();
    let mut tok = first.as_ref().and_then(|t| t.prev_token());
    while let Some(t) = tok {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE if !t.text().contains('\n') => {}
            SyntaxKind::TOKEN_COMMENT
                if !t.text().contains('\n')
                    && crate::syntax::starts_line(text, usize::from(t.text_range().start())) =>
            {
                start = t.text_range().start();
                first = Some(t.clone());
                break;
            }
            _ => break,
        }
        tok = t.prev_token();
    }
    let starts_line = crate::syntax::starts_line(text, usize::from(start));
    if starts_line {
        // Comments directly above.
        let mut tok = first.and_then(|t| t.prev_token());
        while let Some(t) = tok {
            match t.kind() {
                SyntaxKind::TOKEN_WHITESPACE if t.text().matches('\n').count() <= 1 => {}
                SyntaxKind::TOKEN_COMMENT
                    if crate::syntax::starts_line(text, usize::from(t.text_range().start())) =>
                {
                    start = t.text_range().start();
                }
                _ => break,
            }
            tok = t.prev_token();
        }
        let line_start = text[..usize::from(start)].rfind('\n').map_or(0, |i| i + 1);
        start = (line_start as u32).into();
    }
    // A comment on the same line after the entry.
    let mut tok = entry.last_token().and_then(|t| t.next_token());
    while let Some(t) = tok {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE if !t.text().contains('\n') => {}
            SyntaxKind::TOKEN_COMMENT if !t.text().contains('\n') => end = t.text_range().end(),
            _ => break,
        }
        tok = t.next_token();
    }
    if starts_line {
        let rest = &text[usize::from(end)..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        if rest[..line_end].trim().is_empty() {
            end += rnix::TextSize::from(line_end as u32);
        }
    }
    TextRange::new(start, end)
}

/// The range to delete when the entry occupying `range` (from
/// [`attached_range`]) leaves its `let`: also one blank line above it when
/// the entry was the last of its group (followed by a blank line or by `in`),
/// so that no stray blank line is left behind.
pub fn removal_range(range: TextRange, text: &str) -> TextRange {
    let start = usize::from(range.start());
    let end = usize::from(range.end());
    if start > 0 && !text[..start].ends_with('\n') {
        // An entry in the middle of a line: take the blanks before it too.
        let blanks = text[..start].len() - text[..start].trim_end_matches([' ', '\t']).len();
        let from = start - blanks;
        // Alone on its line (a name of a multi-line `inherit`): the whole
        // line goes, so that no blank line is left.
        if from == 0 || text[..from].ends_with('\n') {
            if let Some(i) = text[end..].find('\n') {
                if text[end..end + i].trim().is_empty() {
                    return TextRange::new((from as u32).into(), ((end + i + 1) as u32).into());
                }
            }
        }
        return TextRange::new((from as u32).into(), range.end());
    }
    if start == 0 || !text[..start].ends_with('\n') || !text[..start - 1].ends_with('\n') {
        return range;
    }
    let next_line = text[end..].lines().next().unwrap_or("").trim();
    let closes = next_line.is_empty() || next_line == "in" || next_line.starts_with("in ");
    if !closes {
        return range;
    }
    // The blank line above: from its start to the start of `range`.
    let blank_start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    if text[blank_start..start].trim().is_empty() {
        TextRange::new((blank_start as u32).into(), range.end())
    } else {
        range
    }
}

/// The ranges to delete so that the `let` bindings `removed` leave their
/// `let ... in`: each definition with its attached comments (see
/// [`attached_range`] and [`removal_range`]). A `let` left with no binding
/// and no comment is removed whole, up to its body. Bindings of other kinds
/// are ignored.
pub fn let_removals(text: &str, scope: &ScopeIndex, removed: &[usize]) -> Vec<TextRange> {
    let removed: Vec<usize> = removed
        .iter()
        .copied()
        .filter(|&b| scope.binders[b].kind == BinderKind::Let)
        .collect();
    let mut entries: Vec<(SyntaxNode, TextRange)> = Vec::new();
    for &b in &removed {
        for e in &scope.binders[b].entries {
            if !entries.iter().any(|(n, _)| n == e) {
                entries.push((e.clone(), attached_range(e, text)));
            }
        }
    }
    let mut lets: Vec<SyntaxNode> = removed
        .iter()
        .map(|&b| scope.binders[b].scope.clone())
        .collect();
    lets.dedup();
    let mut out: Vec<TextRange> = entries.iter().map(|(_, r)| *r).collect();
    let mut wholes: Vec<TextRange> = Vec::new();
    for let_node in lets {
        let remaining = let_node
            .children()
            .filter(|c| {
                matches!(
                    c.kind(),
                    SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                )
            })
            .any(|c| !entries.iter().any(|(n, _)| *n == c));
        let leftover_comment = let_node
            .children_with_tokens()
            .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
            .any(|c| !out.iter().any(|r| r.contains_range(c.text_range())));
        if remaining || leftover_comment {
            continue;
        }
        if let Some(body) = let_node.children().last() {
            let whole = TextRange::new(let_node.text_range().start(), body.text_range().start());
            out.retain(|r| !whole.contains_range(*r));
            wholes.push(whole);
        }
    }
    // Entries get the tidy-up of the blanks around them; whole `let`s go as they are.
    let mut ranges: Vec<TextRange> = out.into_iter().map(|r| removal_range(r, text)).collect();
    ranges.extend(wholes);
    ranges.sort_by_key(|r| r.start());
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rb(lit: &str, interp: bool, from: &str, to: &str) -> Option<String> {
        rebase_path(lit, interp, Path::new(from), Path::new(to))
    }

    #[test]
    fn rebases_paths_into_a_subdirectory() {
        assert_eq!(
            rb("./configurations/m1.nix", false, "", "hosts").unwrap(),
            "../configurations/m1.nix"
        );
        assert_eq!(rb("./.", false, "", "hosts").unwrap(), "../.");
        assert_eq!(rb("./hosts/a.nix", false, "", "hosts").unwrap(), "./a.nix");
        assert_eq!(rb("./hosts", false, "", "hosts").unwrap(), "./.");
        assert_eq!(
            rb("../modules/x.nix", false, "nix", "nix/hosts").unwrap(),
            "../../modules/x.nix"
        );
        assert_eq!(
            rb("foo/bar.nix", false, "", "hosts").unwrap(),
            "../foo/bar.nix"
        );
    }

    #[test]
    fn rebases_interpolated_paths_by_their_directory() {
        assert_eq!(rb("./hosts/", true, "", "home").unwrap(), "../hosts/");
        assert_eq!(rb("./machines/", true, "", "machines").unwrap(), "./");
        assert_eq!(rb("./host-", true, "", "hosts").unwrap(), "../host-");
        assert_eq!(rb("./x/a", true, "", "hosts").unwrap(), "../x/a");
    }

    #[test]
    fn same_directory_is_unchanged() {
        assert_eq!(rb("./a.nix", false, "x", "x").unwrap(), "./a.nix");
    }

    #[test]
    fn plans_passed_names_and_moved_bindings() {
        let src = "{ self, nixpkgs, ... }@inputs: let a = b; b = nixpkgs; c = 1; in { x = [ a c self inputs ]; y = c; }";
        let root = rnix::Root::parse(src).syntax();
        let scope = ScopeIndex::build(&root);
        let let_node = root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_LET_IN)
            .unwrap();
        let x = root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_LIST)
            .unwrap();
        let plan = plan_move(&scope, &[x], &[let_node]).unwrap();
        assert_eq!(plan.pass, ["c", "inputs", "nixpkgs", "self"]);
        let moved: Vec<_> = plan
            .moved
            .iter()
            .map(|&b| scope.binders[b].name.as_str())
            .collect();
        assert_eq!(moved, ["a", "b"]);
        assert!(plan.withs.is_empty());
    }

    #[test]
    fn carries_with_only_when_a_name_may_come_from_it() {
        let src = "{ lib }: with lib; { x = [ genAttrs ]; y = [ lib ]; }";
        let root = rnix::Root::parse(src).syntax();
        let scope = ScopeIndex::build(&root);
        let lists: Vec<_> = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_LIST)
            .collect();
        let plan = plan_move(&scope, &lists[..1], &[]).unwrap();
        assert_eq!(plan.withs.len(), 1);
        assert_eq!(plan.pass, ["lib"]);
        let plan = plan_move(&scope, &lists[1..2], &[]).unwrap();
        assert!(plan.withs.is_empty());
    }

    #[test]
    fn refuses_shadowed_with_namespace_and_unbound_names() {
        let src = "{ pkgs }: with pkgs; let pkgs = 1; in { x = [ hello pkgs ]; }";
        let root = rnix::Root::parse(src).syntax();
        let scope = ScopeIndex::build(&root);
        let list = root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_LIST)
            .unwrap();
        assert!(matches!(
            plan_move(&scope, std::slice::from_ref(&list), &[]),
            Err(MoveError::ShadowedWith { .. })
        ));
        let root = rnix::Root::parse("{ x = [ nope ]; }").syntax();
        let scope = ScopeIndex::build(&root);
        let list = root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_LIST)
            .unwrap();
        assert!(matches!(
            plan_move(&scope, std::slice::from_ref(&list), &[]),
            Err(MoveError::Unbound { .. })
        ));
    }

    #[test]
    fn removal_takes_a_blank_line_above_the_last_entry() {
        let text = "let\n  a = 1;\n\n  b = 2;\nin a";
        let start = text.find("  b").unwrap() as u32;
        let r = TextRange::new(start.into(), (start + 9).into());
        assert_eq!(&text[removal_range(r, text)], "\n  b = 2;\n");
        let text = "let\n  a = 1;\n\n  b = 2;\n  c = 3;\nin a";
        let r = TextRange::new(start.into(), (start + 9).into());
        assert_eq!(&text[removal_range(r, text)], "  b = 2;\n");
    }

    #[test]
    fn removal_of_a_name_alone_on_its_line_takes_the_line() {
        let text = "{\n  inherit\n    inputs\n    osConfig\n    ;\n}";
        let start = text.find("osConfig").unwrap() as u32;
        let r = TextRange::new(start.into(), (start + 8).into());
        assert_eq!(&text[removal_range(r, text)], "    osConfig\n");
        let text = "{ inherit inputs osConfig; }";
        let start = text.find("osConfig").unwrap() as u32;
        let r = TextRange::new(start.into(), (start + 8).into());
        assert_eq!(&text[removal_range(r, text)], " osConfig");
    }

    #[test]
    fn a_comment_before_the_entry_on_its_line_is_attached() {
        let text = "let\n  a = 1;\n  /* the helper */ b = 2;\n  c = 3; /* not b's */ d = 4;\nin a";
        let root = rnix::Root::parse(text).syntax();
        let entries: Vec<_> = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
            .collect();
        assert_eq!(
            &text[attached_range(&entries[1], text)],
            "  /* the helper */ b = 2;\n"
        );
        // After another entry on the same line, a comment stays with that one.
        assert_eq!(&text[attached_range(&entries[3], text)], "d = 4;");
    }

    #[test]
    fn attached_range_takes_comments_along() {
        let text =
            "let\n  # about a\n  # more\n  a = 1; # trailing\n\n  # detached\n\n  b = 2;\nin a";
        let root = rnix::Root::parse(text).syntax();
        let entries: Vec<_> = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
            .collect();
        let r = attached_range(&entries[0], text);
        assert_eq!(&text[r], "  # about a\n  # more\n  a = 1; # trailing\n");
        let r = attached_range(&entries[1], text);
        assert_eq!(&text[r], "  b = 2;\n");
    }
}

/// A name that code defined at a new place reads, and that cannot be
/// passed safely: not bound lexically where it is read, possibly from a
/// `with` (`from_with`) or not at all.
#[derive(Debug, Clone)]
pub struct UnclearName {
    pub name: String,
    pub range: TextRange,
    pub from_with: bool,
}

/// Of `names` (read by code that copies at `places` share, now defined once
/// in scope `site`), those that must be passed by name: where the name at
/// the definition is not the binder every copy reads (another binding, a
/// function's argument, nothing). A name not bound lexically in a copy is
/// an [`UnclearName`].
pub fn names_to_pass(
    scope: &ScopeIndex,
    names: &BTreeSet<String>,
    places: &[TextRange],
    site: TextRange,
) -> Result<Vec<String>, UnclearName> {
    let mut out = Vec::new();
    for x in names {
        let at_site = resolve_at(scope, x, site);
        let mut same = at_site.is_some();
        for place in places {
            for r in scope
                .refs
                .iter()
                .filter(|r| &r.name == x && place.contains_range(r.range))
            {
                if r.binder.is_none() {
                    return Err(UnclearName {
                        name: x.clone(),
                        range: r.range,
                        from_with: !r.withs.is_empty(),
                    });
                }
                if r.binder != at_site {
                    same = false;
                }
            }
        }
        if !same {
            out.push(x.clone());
        }
    }
    Ok(out)
}

/// The innermost `let ... in` around every node of `nodes` (one file).
pub fn innermost_common_let(nodes: &[SyntaxNode]) -> Option<SyntaxNode> {
    nodes
        .first()?
        .ancestors()
        .filter(|a| a.kind() == SyntaxKind::NODE_LET_IN)
        .find(|l| {
            nodes
                .iter()
                .all(|n| l.text_range().contains_range(n.text_range()))
        })
}

/// The body of the innermost function around every node of `nodes` (the
/// outputs function of flake.nix, the function of `hosts/default.nix`),
/// under parentheses and further function heads; the file's expression
/// when no function holds them all.
pub fn common_body(nodes: &[SyntaxNode]) -> Option<SyntaxNode> {
    let first = nodes.first()?;
    let lambda = first
        .ancestors()
        .skip(1)
        .filter(|a| a.kind() == SyntaxKind::NODE_LAMBDA)
        .find(|l| {
            nodes
                .iter()
                .all(|n| l.text_range().contains_range(n.text_range()))
        });
    let mut e = match lambda {
        Some(l) => crate::syntax::unparen(l.children().last()?),
        None => crate::syntax::unparen(first.ancestors().last()?.first_child()?),
    };
    while e.kind() == SyntaxKind::NODE_LAMBDA {
        e = crate::syntax::unparen(e.children().last()?);
    }
    Some(e)
}

#[cfg(test)]
mod names_to_pass_tests {
    use super::*;

    #[test]
    fn names_bound_elsewhere_per_copy_are_passed() {
        let text = "let t = 1; f = x: x; in { a = let t = 2; in [ { v = t; w = f; } ]; b = [ { v = t; w = f; } ]; c = with x; [ { v = u; } ]; }";
        let root = rnix::Root::parse(text).syntax();
        let scope = ScopeIndex::build(&root);
        let sets: Vec<SyntaxNode> = root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_LIST)
            .filter_map(|l| l.first_child())
            .collect();
        let site = innermost_common_let(&sets[..2]).unwrap();
        assert!(site.text().to_string().starts_with("let t = 1;"));
        let names: BTreeSet<String> = ["t", "f"].iter().map(|s| s.to_string()).collect();
        let places: Vec<TextRange> = sets[..2].iter().map(|s| s.text_range()).collect();
        // `t` is another binding in `a`; `f` is the same everywhere.
        assert_eq!(
            names_to_pass(&scope, &names, &places, site.text_range()).unwrap(),
            vec!["t".to_string()]
        );
        let u: BTreeSet<String> = ["u".to_string()].into();
        let e = names_to_pass(&scope, &u, &[sets[2].text_range()], site.text_range()).unwrap_err();
        assert!(e.from_with && e.name == "u");
        assert_eq!(
            common_body(&sets[..2]).unwrap().text_range(),
            site.text_range()
        );
    }
}
