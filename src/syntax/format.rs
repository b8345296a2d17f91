//! Layout by the real formatter: nixfmt (RFC 166), in process, through the
//! `nixfmt_rs` crate.
//!
//! The rule: a file that was nixfmt-clean before a codemod is nixfmt-clean
//! after it, and a file that was not keeps its own bytes outside the regions
//! the codemod touched. So the formatter is used only on files that were
//! clean, and the result is kept only when it changes nothing but the lines
//! the codemod's edits touched (otherwise the template layout of
//! `syntax::make` stays).
//!
//! The engine calls this after each codemod; codemods never do.

use std::ops::Range;

use crate::syntax::edit::EditSet;

/// The file as nixfmt writes it, or `None` when nixfmt cannot parse it.
pub fn format(text: &str) -> Option<String> {
    nixfmt_rs::format(text).ok()
}

/// Whether nixfmt leaves `text` exactly as it is.
pub fn is_clean(text: &str) -> bool {
    format(text).is_some_and(|f| f == text)
}

/// The lines (0-based, half-open ranges) of `edits.apply(old)` that the
/// codemod touched: for each edit, the lines of the innermost binding
/// (`name = value;`) around it, whose layout the edit may change (a value
/// replaced by a one-line `import` joins the line of its `=`; a `let` that
/// goes changes how the function above it is laid out). An edit outside
/// every binding touches the whole file.
pub fn touched_lines(old: &str, edits: &EditSet) -> Vec<Range<usize>> {
    let root = rnix::Root::parse(old).syntax();
    // Old offset to new offset, for offsets outside every edit.
    let map = |offset: usize| -> usize {
        let mut delta: isize = 0;
        for e in edits.edits() {
            if usize::from(e.range.end()) <= offset && usize::from(e.range.start()) < offset
                || usize::from(e.range.end()) < offset
            {
                delta += e.insert.len() as isize - usize::from(e.range.len()) as isize;
            }
        }
        (offset as isize + delta) as usize
    };
    let new = edits.apply(old);
    let line_of = |offset: usize| new[..offset.min(new.len())].matches('\n').count();
    let mut out: Vec<Range<usize>> = Vec::new();
    for e in edits.edits() {
        let region = crate::syntax::covering_node(&root, e.range)
            .ancestors()
            .find(|n| {
                n.kind() == rnix::SyntaxKind::NODE_ATTRPATH_VALUE
                    && n.text_range().contains_range(e.range)
                    && n.text_range() != e.range
            })
            .map(|n| n.text_range());
        let (start, end) = match region {
            Some(r) => (map(usize::from(r.start())), map(usize::from(r.end()))),
            None => (0, new.len()),
        };
        out.push(line_of(start)..line_of(end) + 1);
    }
    out
}

/// `new` formatted by nixfmt when that changes only the `touched` lines of
/// `new` (see [`touched_lines`]); `None` when nixfmt cannot parse it or
/// would change other lines too.
pub fn format_within(new: &str, touched: &[Range<usize>]) -> Option<String> {
    let formatted = format(new)?;
    if formatted == new {
        return Some(formatted);
    }
    let diff = similar::TextDiff::from_lines(new, &formatted);
    let covered = |lines: Range<usize>| {
        touched.iter().any(|t| {
            if lines.is_empty() {
                // An insertion between two lines: next to a touched line.
                t.start <= lines.start && lines.start <= t.end
            } else {
                t.start <= lines.start && lines.end <= t.end
            }
        })
    };
    for op in diff.ops() {
        if op.tag() != similar::DiffTag::Equal && !covered(op.old_range()) {
            return None;
        }
    }
    Some(formatted)
}

/// Formatters a repository may declare, as their names appear in its files,
/// and the name to report (longest spelling first).
const FORMATTERS: &[(&str, &str)] = &[
    ("nixfmt-rfc-style", "nixfmt"),
    ("nixfmt-classic", "nixfmt-classic"),
    ("nixfmt-tree", "nixfmt"),
    ("nixpkgs-fmt", "nixpkgs-fmt"),
    ("alejandra", "alejandra"),
    ("nixfmt", "nixfmt"),
];

/// The formatter a repository declares: `formatter.<system> = ...;` (or
/// `formatter = ...;` in flake-parts' perSystem) in `flake_root`, naming a
/// formatter; otherwise a treefmt configuration (`treefmt_config`: its
/// text) and what it runs for Nix. The name and, for the flake.nix
/// declaration, where it is.
pub fn declared_formatter(
    flake_root: &rnix::SyntaxNode,
    treefmt_config: Option<&str>,
) -> Option<(String, Option<rnix::TextRange>)> {
    let name_in = |text: &str| {
        FORMATTERS
            .iter()
            .find(|(spelling, _)| text.contains(spelling))
            .map(|(_, name)| name.to_string())
    };
    for entry in flake_root
        .descendants()
        .filter(|n| n.kind() == rnix::SyntaxKind::NODE_ATTRPATH_VALUE)
    {
        let Some(names) = crate::syntax::attrpath_names(&entry) else {
            continue;
        };
        if names.first().map(String::as_str) != Some("formatter") {
            continue;
        }
        let Some(value) = crate::syntax::attr_value(&entry) else {
            continue;
        };
        let text = value.text().to_string();
        if let Some(name) = name_in(&text) {
            return Some((name, Some(entry.text_range())));
        }
        if text.contains("treefmt") {
            let runs = treefmt_config.and_then(name_in);
            return Some((treefmt_name(runs), Some(entry.text_range())));
        }
    }
    treefmt_config.map(|c| (treefmt_name(name_in(c)), None))
}

fn treefmt_name(runs: Option<String>) -> String {
    match runs {
        Some(n) => format!("treefmt (running {n})"),
        None => "treefmt".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::edit::Edit;
    use rnix::TextRange;

    #[test]
    fn declared_formatters() {
        let root = |t: &str| rnix::Root::parse(t).syntax();
        let f = root("{ outputs = { nixpkgs, ... }: { formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.alejandra; }; }");
        assert_eq!(declared_formatter(&f, None).unwrap().0, "alejandra");
        let f = root("{ outputs = { nixpkgs, ... }: { formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style); }; }");
        assert_eq!(declared_formatter(&f, None).unwrap().0, "nixfmt");
        let f = root("{ outputs = _: { }; }");
        assert_eq!(declared_formatter(&f, None), None);
        assert_eq!(
            declared_formatter(&f, Some("[formatter.nix]\ncommand = \"nixpkgs-fmt\"\n"))
                .unwrap()
                .0,
            "treefmt (running nixpkgs-fmt)"
        );
    }

    #[test]
    fn clean_and_not_clean() {
        assert!(is_clean("{ a = 1; }\n"));
        assert!(!is_clean("{a=1;}\n"));
        assert!(!is_clean("{ a = ; }"));
    }

    #[test]
    fn touched_lines_follow_the_edits() {
        let old = "{\n  a = 1;\n  b = 2;\n}\n";
        let mut set = EditSet::new();
        let at = old.find('2').unwrap() as u32;
        set.add(Edit::replace(
            TextRange::new(at.into(), (at + 1).into()),
            "[\n3\n]",
        ))
        .unwrap();
        assert_eq!(touched_lines(old, &set), vec![2..5]);
    }

    #[test]
    fn formats_only_within_touched_lines() {
        let old = "{\n  a = 1;\n  b = 2;\n}\n";
        let mut set = EditSet::new();
        let at = old.find('2').unwrap() as u32;
        set.add(Edit::replace(
            TextRange::new(at.into(), (at + 1).into()),
            "[ 3   4 ]",
        ))
        .unwrap();
        let new = set.apply(old);
        assert_eq!(
            format_within(&new, &touched_lines(old, &set)).as_deref(),
            Some("{\n  a = 1;\n  b = [\n    3\n    4\n  ];\n}\n")
        );
        // A change nixfmt would make elsewhere too: no.
        let old = "{\n  a   = 1;\n  b = 2;\n}\n";
        let mut set2 = EditSet::new();
        let at = old.find('2').unwrap() as u32;
        set2.add(Edit::replace(
            TextRange::new(at.into(), (at + 1).into()),
            "[ 3 ]",
        ))
        .unwrap();
        let new2 = set2.apply(old);
        assert_eq!(format_within(&new2, &touched_lines(old, &set2)), None);
    }
}
