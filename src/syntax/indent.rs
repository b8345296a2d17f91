//! Indentation: detect a file's indent unit and shift code without changing
//! the value of any string.
//!
//! Rules (see `ARCHITECTURE.md`):
//! - code lines lose the removed prefix (as much of it as they have) and gain the added one;
//! - lines inside a plain `"..."` string are never touched;
//! - an indented `''...''` string is shifted as a whole when that keeps its
//!   value (Nix strips the common indentation of its lines), and left exactly
//!   as it is otherwise.

use std::collections::HashMap;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::syntax::edit::Edit;

/// The indent unit of a file: the most common positive step between the
/// indentation of consecutive non-blank lines; two spaces when unknown.
pub fn indent_unit(text: &str) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut prev = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let ws: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if ws.len() > prev.len() && ws.starts_with(&prev) {
            *counts.entry(ws[prev.len()..].to_string()).or_default() += 1;
        }
        prev = ws;
    }
    counts
        .into_iter()
        .max_by_key(|(unit, n)| (*n, std::cmp::Reverse(unit.len())))
        .map(|(unit, _)| unit)
        .unwrap_or_else(|| "  ".to_string())
}

/// How lines are to be shifted.
#[derive(Debug, Clone, Copy)]
pub struct Shift<'a> {
    /// Prefix removed from the start of every line (as much of it as the line has).
    pub remove: &'a str,
    /// Prefix added to every non-empty line after removal.
    pub add: &'a str,
}

enum LineKind {
    Code,
    /// Inside a string that must not change.
    Frozen,
    /// Inside an indented string that is shifted with the code.
    Shifted,
}

/// The text of `range` of the tree under `root`, with every line that starts
/// inside `range` shifted. The first line (which starts before `range`) is
/// left as it is.
pub fn shift_range(root: &SyntaxNode, range: TextRange, shift: Shift) -> String {
    let mut set = crate::syntax::edit::EditSet::new();
    for e in shift_edits(root, range, shift) {
        // Line-start edits never overlap each other.
        let _ = set.add(e);
    }
    let node = crate::syntax::covering_node(root, range);
    set.apply_within(&node.text().to_string(), node.text_range().start(), range)
}

/// The edits that shift every line starting inside `range` (absolute offsets).
/// Each edit replaces a line's leading whitespace, so none overlaps a token.
pub fn shift_edits(root: &SyntaxNode, range: TextRange, shift: Shift) -> Vec<Edit> {
    // Work on the smallest node around the range, not the whole file.
    let root = &crate::syntax::covering_node(root, range);
    let text = root.text().to_string();
    let base = usize::from(root.text_range().start());
    let (start, end) = (
        usize::from(range.start()) - base,
        usize::from(range.end()) - base,
    );
    let src = &text[start..end];
    let mut string_ok: HashMap<TextRange, bool> = HashMap::new();
    let mut edits = Vec::new();
    let mut offset = start;
    let mut lines = src.split_inclusive('\n');
    if let Some(first) = lines.next() {
        offset += first.len();
    }
    for line in lines {
        // The newline that ended the previous line decides what this line is.
        let nl = TextRange::at(((offset - 1 + base) as u32).into(), 1.into());
        let kind = match root.covering_element(nl) {
            rnix::NodeOrToken::Token(tok) if tok.kind() == SyntaxKind::TOKEN_STRING_CONTENT => {
                match tok.parent() {
                    Some(string) if is_indented_string(&string) => {
                        let ok = *string_ok
                            .entry(string.text_range())
                            .or_insert_with(|| indented_string_shiftable(&string, shift));
                        if ok {
                            LineKind::Shifted
                        } else {
                            LineKind::Frozen
                        }
                    }
                    _ => LineKind::Frozen,
                }
            }
            _ => LineKind::Code,
        };
        if let Some((consumed, add)) = line_start(line, &kind, shift) {
            if consumed > 0 || !add.is_empty() {
                let at = ((offset + base) as u32).into();
                edits.push(Edit::replace(
                    TextRange::at(at, (consumed as u32).into()),
                    add,
                ));
            }
        }
        offset += line.len();
    }
    edits
}

/// How to rewrite the start of a line whose text is `line`: bytes to remove
/// and the prefix to put in their place.
fn line_start<'a>(line: &str, kind: &LineKind, shift: Shift<'a>) -> Option<(usize, &'a str)> {
    match kind {
        LineKind::Frozen => None,
        LineKind::Code | LineKind::Shifted => {
            let mut consumed = 0;
            for (a, b) in line.chars().zip(shift.remove.chars()) {
                if a != b {
                    break;
                }
                consumed += a.len_utf8();
            }
            let rest = &line[consumed..];
            let blank_code = matches!(kind, LineKind::Code) && rest.trim().is_empty();
            let truly_empty = line.is_empty() || line.starts_with('\n');
            let add = if blank_code || truly_empty {
                ""
            } else {
                shift.add
            };
            Some((consumed, add))
        }
    }
}

fn is_indented_string(string: &SyntaxNode) -> bool {
    string.kind() == SyntaxKind::NODE_STRING
        && string
            .first_token()
            .is_some_and(|t| t.kind() == SyntaxKind::TOKEN_STRING_START && t.text() == "''")
}

/// Whether shifting every line of this `''` string keeps its value.
///
/// Nix removes the smallest indentation (in spaces) of the lines that have
/// content. Removing `r` spaces and adding `a` spaces to every line after the
/// first keeps the value when: `remove` and `add` are spaces only, the first
/// line (right after `''`) has no content, every line with content has at
/// least `r` leading spaces (a line with fewer would lose less than `r` but
/// still gain `a`, even when `remove == add`), and no `''\n` escape starts a
/// line the shift cannot see.
pub fn indented_string_shiftable(string: &SyntaxNode, shift: Shift) -> bool {
    if shift.remove.is_empty() && shift.add.is_empty() {
        return true;
    }
    // Nix 2.8 treats the newline an `''\n` escape produces as a line break
    // when it strips indentation, but no source line starts there, so the
    // shift could not reach that line: keep such strings as they are.
    let has_escaped_newline = string.children_with_tokens().any(|t| {
        t.kind() == SyntaxKind::TOKEN_STRING_CONTENT
            && t.as_token().is_some_and(|t| t.text().contains("''\\n"))
    });
    if has_escaped_newline {
        return false;
    }
    if !shift.remove.chars().all(|c| c == ' ') || !shift.add.chars().all(|c| c == ' ') {
        return false;
    }
    let need = shift.remove.len();
    let mut first_line = true;
    let mut at_line_start = true;
    let mut spaces = 0usize;
    for el in string.children_with_tokens() {
        match el.kind() {
            SyntaxKind::TOKEN_STRING_START | SyntaxKind::TOKEN_STRING_END => {}
            SyntaxKind::TOKEN_STRING_CONTENT => {
                let Some(tok) = el.as_token() else { continue };
                for c in tok.text().chars() {
                    if at_line_start {
                        match c {
                            ' ' => spaces += 1,
                            '\n' => {
                                spaces = 0;
                                first_line = false;
                            }
                            _ => {
                                if first_line || spaces < need {
                                    return false;
                                }
                                at_line_start = false;
                            }
                        }
                    } else if c == '\n' {
                        at_line_start = true;
                        first_line = false;
                        spaces = 0;
                    }
                }
            }
            _ => {
                // An interpolation is content.
                if at_line_start {
                    if first_line || spaces < need {
                        return false;
                    }
                    at_line_start = false;
                }
            }
        }
    }
    true
}

/// Shift plain text (code this tool generated, which contains no multi-line
/// strings) by adding `add` to every non-empty line but the first.
pub fn indent_generated(text: &str, add: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(add);
            }
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift_expr(src: &str, remove: &str, add: &str) -> String {
        let root = rnix::Root::parse(src).syntax();
        shift_range(&root, root.text_range(), Shift { remove, add })
    }

    #[test]
    fn unit_detection() {
        assert_eq!(
            indent_unit("{\n    a = 1;\n    b = {\n        c = 2;\n    };\n}\n"),
            "    "
        );
        assert_eq!(indent_unit("{\n\ta = 1;\n}\n"), "\t");
        assert_eq!(indent_unit("x"), "  ");
    }

    #[test]
    fn code_lines_shift_left() {
        let src = "{\n      a = 1;\n      b = [\n        2\n      ];\n    }";
        assert_eq!(
            shift_expr(src, "    ", ""),
            "{\n  a = 1;\n  b = [\n    2\n  ];\n}"
        );
    }

    #[test]
    fn plain_strings_are_frozen() {
        let src = "{\n      a = \"x\n      y\";\n    }";
        assert_eq!(shift_expr(src, "    ", ""), "{\n  a = \"x\n      y\";\n}");
    }

    #[test]
    fn indented_strings_shift_when_safe() {
        let src = "{\n      a = ''\n        x ${y}\n\n          z\n      '';\n    }";
        assert_eq!(
            shift_expr(src, "    ", ""),
            "{\n  a = ''\n    x ${y}\n\n      z\n  '';\n}"
        );
    }

    #[test]
    fn indented_strings_freeze_when_unsafe() {
        // a content line at column 0
        let src = "{\n      a = ''\nx\n      '';\n    }";
        assert_eq!(shift_expr(src, "    ", ""), "{\n  a = ''\nx\n      '';\n}");
        // content on the first line
        let src = "{\n      a = ''first\n        x\n      '';\n    }";
        assert_eq!(
            shift_expr(src, "    ", ""),
            "{\n  a = ''first\n        x\n      '';\n}"
        );
    }

    #[test]
    fn interpolation_at_line_start_in_a_string() {
        let src = "{\n      a = ''\n${y}\n      '';\n    }";
        assert_eq!(
            shift_expr(src, "    ", ""),
            "{\n  a = ''\n${y}\n      '';\n}"
        );
        let src = "{\n      a = ''\n        ${y}\n      '';\n    }";
        assert_eq!(
            shift_expr(src, "    ", "  "),
            "{\n    a = ''\n      ${y}\n    '';\n  }"
        );
    }

    #[test]
    fn add_prefix_skips_empty_lines() {
        assert_eq!(
            shift_expr("{\n  a = 1;\n\n}", "", "  "),
            "{\n    a = 1;\n\n  }"
        );
    }
}
