//! Parsing, positions, text edits, indentation and code templates.
//!
//! The rnix tree is immutable: every change is a set of disjoint text-range
//! edits (`edit`), after which the file is parsed again.

pub mod checks;
pub mod edit;
pub mod format;
pub mod indent;
pub mod make;
pub mod shape;

use std::path::Path;

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::error::{Error, Location};

/// A parsed Nix file: its text and its lossless syntax tree.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub text: String,
    pub root: SyntaxNode,
    pub lines: LineIndex,
}

/// Turn raw file bytes into source text, refusing what we cannot edit losslessly.
pub fn decode_source(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    let text = String::from_utf8(bytes).map_err(|e| Error::Encoding {
        path: path.to_path_buf(),
        message: format!(
            "not valid UTF-8 (invalid byte at offset {}); flake-refactor only edits UTF-8 files",
            e.utf8_error().valid_up_to()
        ),
    })?;
    if text.starts_with('\u{feff}') {
        return Err(Error::Encoding {
            path: path.to_path_buf(),
            message:
                "starts with a byte order mark (BOM); remove it first, Nix does not accept one"
                    .into(),
        });
    }
    if text.contains('\r') {
        let line = text[..text.find('\r').unwrap_or(0)].matches('\n').count() + 1;
        return Err(Error::Syntax {
            location: Location {
                file: path.to_path_buf(),
                line,
                col: 1,
            },
            message: "carriage return (CRLF line endings) found; convert the file to LF line endings first".into(),
        });
    }
    Ok(text)
}

/// Parse `text`, turning the first parse error into `file:line:col: message`.
pub fn parse(path: &Path, text: &str) -> Result<ParsedFile, Error> {
    let parse = rnix::Root::parse(text);
    let lines = LineIndex::new(text);
    if let Some(err) = parse.errors().first() {
        let (offset, message) = describe_parse_error(err, text);
        return Err(Error::Syntax {
            location: lines.location(path, offset),
            message,
        });
    }
    Ok(ParsedFile {
        text: text.to_string(),
        root: parse.syntax(),
        lines,
    })
}

fn describe_parse_error(err: &rnix::ParseError, text: &str) -> (TextSize, String) {
    use rnix::ParseError as E;
    let end = TextSize::of(text);
    let snippet = |r: TextRange| {
        let s: String = text[r].chars().take(20).collect();
        s.replace('\n', "\\n")
    };
    match err {
        E::Unexpected(r) => (
            r.start(),
            format!("syntax error: unexpected `{}`", snippet(*r)),
        ),
        E::UnexpectedExtra(r) => (
            r.start(),
            format!(
                "syntax error: unexpected `{}` after the end of the expression",
                snippet(*r)
            ),
        ),
        E::UnexpectedWanted(got, r, wanted) => (
            r.start(),
            format!(
                "syntax error: unexpected {}, expected {}",
                kind_name(*got),
                wanted_list(wanted)
            ),
        ),
        E::UnexpectedDoubleBind(r) => (r.start(), "syntax error: pattern bound twice".into()),
        E::UnexpectedEOF => (end, "syntax error: unexpected end of file".into()),
        E::UnexpectedEOFWanted(wanted) => (
            end,
            format!(
                "syntax error: unexpected end of file, expected {}",
                wanted_list(wanted)
            ),
        ),
        E::DuplicatedArgs(r, name) => (r.start(), format!("duplicated function argument `{name}`")),
        E::RecursionLimitExceeded => (
            deepest_point(text),
            "expression nested too deeply to analyse safely (the deepest point is here)".into(),
        ),
        other => (TextSize::from(0), format!("syntax error: {other}")),
    }
}

/// Where bracket nesting (`(`, `[`, `{`, `${`) first reaches its maximum.
fn deepest_point(text: &str) -> TextSize {
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let mut offset = 0usize;
    for (kind, tok) in rnix::tokenize(text) {
        use SyntaxKind::*;
        match kind {
            TOKEN_L_PAREN | TOKEN_L_BRACK | TOKEN_L_BRACE | TOKEN_INTERPOL_START => {
                depth += 1;
                if depth > max {
                    (max, at) = (depth, offset);
                }
            }
            TOKEN_R_PAREN | TOKEN_R_BRACK | TOKEN_R_BRACE | TOKEN_INTERPOL_END => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        offset += tok.len();
    }
    TextSize::from(at as u32)
}

/// "`;`, `}` or an identifier": each kind once, in the parser's order.
fn wanted_list(wanted: &[SyntaxKind]) -> String {
    let mut names: Vec<String> = Vec::new();
    for k in wanted {
        let n = kind_name(*k);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    match names.len() {
        0 => "something else".into(),
        1 => names.remove(0),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {last}", names.join(", "))
        }
    }
}

fn kind_name(kind: SyntaxKind) -> String {
    use SyntaxKind::*;
    let s = match kind {
        TOKEN_SEMICOLON => "`;`",
        TOKEN_ASSIGN => "`=`",
        TOKEN_L_BRACE => "`{`",
        TOKEN_R_BRACE => "`}`",
        TOKEN_L_BRACK => "`[`",
        TOKEN_R_BRACK => "`]`",
        TOKEN_L_PAREN => "`(`",
        TOKEN_R_PAREN => "`)`",
        TOKEN_COLON => "`:`",
        TOKEN_COMMA => "`,`",
        TOKEN_IN => "`in`",
        TOKEN_THEN => "`then`",
        TOKEN_ELSE => "`else`",
        TOKEN_IDENT => "an identifier",
        TOKEN_STRING_END => "the end of the string",
        TOKEN_INTERPOL_END => "`}`",
        TOKEN_OR => "`or`",
        TOKEN_CUR_POS => "`__curPos`",
        TOKEN_DOT => "`.`",
        TOKEN_QUESTION => "`?`",
        TOKEN_AT => "`@`",
        TOKEN_ELLIPSIS => "`...`",
        TOKEN_STRING_START => "a string",
        TOKEN_INTERPOL_START => "`${`",
        other => {
            let name = format!("{other:?}");
            let name = name
                .trim_start_matches("TOKEN_")
                .trim_start_matches("NODE_");
            return format!("`{}`", name.to_lowercase().replace('_', " "));
        }
    };
    s.to_string()
}

/// Maps byte offsets to 1-based line and column numbers.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    text: std::sync::Arc<str>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            text: text.into(),
        }
    }

    /// 1-based (line, column); the column counts characters, not bytes.
    pub fn line_col(&self, offset: TextSize) -> (usize, usize) {
        let offset = usize::from(offset).min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    pub fn location(&self, file: &Path, offset: TextSize) -> Location {
        let (line, col) = self.line_col(offset);
        Location {
            file: file.to_path_buf(),
            line,
            col,
        }
    }

    /// Byte offset of the start of the line containing `offset`.
    pub fn line_start(&self, offset: TextSize) -> usize {
        let offset = usize::from(offset);
        self.starts[self.starts.partition_point(|&s| s <= offset) - 1]
    }
}

/// The leading whitespace of the line that contains `offset`.
pub fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[start..];
    let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..len]
}

/// Whether only whitespace precedes `offset` on its line.
pub fn starts_line(text: &str, offset: usize) -> bool {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset].chars().all(|c| c == ' ' || c == '\t')
}

/// The smallest node whose range contains `range` (the root at most).
pub fn covering_node(root: &SyntaxNode, range: TextRange) -> SyntaxNode {
    match root.covering_element(range) {
        rnix::NodeOrToken::Node(n) => n,
        rnix::NodeOrToken::Token(t) => t.parent().unwrap_or_else(|| root.clone()),
    }
}

/// Strip parentheses around an expression node.
pub fn unparen(mut node: SyntaxNode) -> SyntaxNode {
    while node.kind() == SyntaxKind::NODE_PAREN {
        match node.children().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The static name of an attribute (`foo`, `"foo"`), or `None` when it is dynamic.
pub fn static_attr_name(attr: &SyntaxNode) -> Option<String> {
    match attr.kind() {
        SyntaxKind::NODE_IDENT => Some(attr.text().to_string()),
        SyntaxKind::NODE_STRING => {
            let mut out = String::new();
            for child in attr.children_with_tokens() {
                match child.kind() {
                    SyntaxKind::TOKEN_STRING_START | SyntaxKind::TOKEN_STRING_END => {}
                    SyntaxKind::TOKEN_STRING_CONTENT => {
                        let t = child.as_token()?.text();
                        if t.contains('\\') || t.contains('$') {
                            return None;
                        }
                        out.push_str(t);
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// The attribute path of a `NODE_ATTRPATH_VALUE` as static names
/// (`None` for a path with a dynamic part).
pub fn attrpath_names(apv: &SyntaxNode) -> Option<Vec<String>> {
    let path = apv
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
    path.children().map(|a| static_attr_name(&a)).collect()
}

/// The entries of an attribute set (or `let`) whose attribute path is
/// static, as (entry, path, value).
pub fn static_entries(
    set: &SyntaxNode,
) -> impl Iterator<Item = (SyntaxNode, Vec<String>, SyntaxNode)> {
    set.children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .filter_map(|entry| {
            let path = attrpath_names(&entry)?;
            let value = attr_value(&entry)?;
            Some((entry, path, value))
        })
}

/// The values of the entries `name = ...;` (a one-part path) of an attribute set.
pub fn entry_values(set: &SyntaxNode, name: &str) -> Vec<SyntaxNode> {
    static_entries(set)
        .filter(|(_, path, _)| path.len() == 1 && path[0] == name)
        .map(|(_, _, value)| value)
        .collect()
}

/// The value node of a `NODE_ATTRPATH_VALUE`.
pub fn attr_value(apv: &SyntaxNode) -> Option<SyntaxNode> {
    apv.children()
        .filter(|c| c.kind() != SyntaxKind::NODE_ATTRPATH)
        .last()
}
