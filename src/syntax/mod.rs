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

/// A file's text as Nix reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The text, with CRLF and lone CR line endings turned into LF (Nix
    /// accepts them, and reads a CR or CRLF inside a string as LF).
    pub text: String,
    /// Where the file's first carriage return is, when it has one: such a
    /// file can be analysed but is not edited (an edit would not keep its
    /// line endings).
    pub carriage_return: Option<Location>,
}

/// Turn raw file bytes into source text as Nix reads it. Not UTF-8 and a
/// byte order mark are errors at the offending byte's `line:col` (Nix
/// refuses neither, but reads them differently than an editor shows them,
/// and the tool only edits UTF-8); CR line endings are normalised and
/// recorded (see [`Source`]).
pub fn decode_source(path: &Path, bytes: Vec<u8>) -> Result<Source, Error> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or("");
            return Err(Error::Syntax {
                location: location_at(path, prefix, prefix.len()),
                message: format!(
                    "not valid UTF-8 (invalid byte at offset {valid}); flake-refactor only edits UTF-8 files"
                ),
            });
        }
    };
    if text.starts_with('\u{feff}') {
        return Err(Error::Syntax {
            location: Location::start_of(path),
            message:
                "starts with a byte order mark (BOM); remove it first, Nix does not accept one"
                    .into(),
        });
    }
    let Some(cr) = text.find('\r') else {
        return Ok(Source {
            text,
            carriage_return: None,
        });
    };
    let carriage_return = Some(location_at(path, &text, cr));
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Source {
        text,
        carriage_return,
    })
}

/// The refusal to edit a file whose first carriage return is at `location`.
pub fn carriage_return_error(location: &Location) -> Error {
    Error::Syntax {
        location: location.clone(),
        message: "carriage return (CRLF line endings) found; Nix reads the file, but flake-refactor does not edit it, as the edit would not keep its line endings: convert the file to LF line endings first".into(),
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn location_at(path: &Path, text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        file: path.to_path_buf(),
        line: before.matches('\n').count() + 1,
        col: before[line_start..].chars().count() + 1,
    }
}

/// The longest run of characters rnix's tokenizer scans ahead over for each
/// name in it (letters, digits, `_`, `.`, `+`, `-`), e.g. `a.b.b.b...`.
pub const MAX_NAME_RUN: usize = 2048;
/// The most operators in one chain at one nesting level, e.g. `- - - 1`,
/// `!!!x`, `a++b++c`, `1+1+1`.
pub const MAX_OPERATOR_CHAIN: usize = 1000;

/// [`check_shape_limits`]'s byte classes, one table lookup per byte.
const OPERATOR_BYTE: u8 = 1;
const NAME_BYTE: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(
            c,
            b'+' | b'-' | b'*' | b'/' | b'!' | b'<' | b'>' | b'=' | b'&' | b'|' | b'?'
        ) {
            t[b] |= OPERATOR_BYTE;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-') {
            t[b] |= NAME_BYTE;
        }
        b += 1;
    }
    t
};

/// Refuse the shapes rnix parses in time that grows with the square of
/// their length, before parsing: a run of more than [`MAX_NAME_RUN`] name
/// characters (its tokenizer looks ahead to the end of the run for every
/// name), and a chain of more than [`MAX_OPERATOR_CHAIN`] operators at one
/// nesting level (rowan hashes a compact operator node together with its
/// whole operand, and rnix recurses on unary and right-associative chains
/// without its depth limit). Nesting through brackets is bounded by the
/// parser's own depth limit. The error is at the first character past the
/// bound. Linear in `text`: bytes first, then rnix's tokens (whose cost is
/// linear once the runs are bounded).
pub fn check_shape_limits(path: &Path, text: &str) -> Result<(), Error> {
    let too_long = |offset: usize, message: String| Error::Syntax {
        location: location_at(path, text, offset),
        message,
    };
    let mut run = 0usize;
    // Bytes an operator token can start with: fewer of them than the bound
    // means no chain can pass it, and the file need not be tokenized twice.
    let mut operator_bytes = 0usize;
    for (i, b) in text.bytes().enumerate() {
        let class = BYTE_CLASS[usize::from(b)];
        operator_bytes += usize::from(class & OPERATOR_BYTE);
        if class & NAME_BYTE != 0 {
            run += 1;
            if run > MAX_NAME_RUN {
                return Err(too_long(
                    i,
                    format!(
                        "more than {MAX_NAME_RUN} characters of names and dots in a row; too long to analyse safely (parsing it takes time growing with the square of its length)"
                    ),
                ));
            }
        } else {
            run = 0;
        }
    }
    if operator_bytes <= MAX_OPERATOR_CHAIN {
        return Ok(());
    }
    // One counter per open bracket; list brackets hold no operator chains.
    let mut levels: Vec<(bool, usize)> = vec![(false, 0)];
    let mut offset = 0usize;
    for (kind, tok) in rnix::tokenize(text) {
        use SyntaxKind::*;
        match kind {
            TOKEN_L_PAREN | TOKEN_L_BRACE | TOKEN_INTERPOL_START => levels.push((false, 0)),
            TOKEN_L_BRACK => levels.push((true, 0)),
            TOKEN_R_PAREN | TOKEN_R_BRACE | TOKEN_R_BRACK | TOKEN_INTERPOL_END
                if levels.len() > 1 =>
            {
                levels.pop();
            }
            TOKEN_ADD | TOKEN_SUB | TOKEN_MUL | TOKEN_DIV | TOKEN_CONCAT | TOKEN_UPDATE
            | TOKEN_AND_AND | TOKEN_OR_OR | TOKEN_EQUAL | TOKEN_NOT_EQUAL | TOKEN_LESS
            | TOKEN_LESS_OR_EQ | TOKEN_MORE | TOKEN_MORE_OR_EQ | TOKEN_IMPLICATION
            | TOKEN_INVERT | TOKEN_PIPE_LEFT | TOKEN_PIPE_RIGHT | TOKEN_QUESTION => {
                if let Some((false, count)) = levels.last_mut() {
                    *count += 1;
                    if *count > MAX_OPERATOR_CHAIN {
                        return Err(too_long(
                            offset,
                            format!(
                                "more than {MAX_OPERATOR_CHAIN} operators in one chain; too long to analyse safely (parsing it takes time growing with the square of its length)"
                            ),
                        ));
                    }
                }
            }
            TOKEN_SEMICOLON | TOKEN_COMMA | TOKEN_ASSIGN | TOKEN_COLON | TOKEN_IN | TOKEN_THEN
            | TOKEN_ELSE | TOKEN_ASSERT | TOKEN_WITH | TOKEN_LET | TOKEN_IF | TOKEN_OR
            | TOKEN_INHERIT | TOKEN_REC => {
                if let Some(level) = levels.last_mut() {
                    level.1 = 0;
                }
            }
            _ => {}
        }
        offset += tok.len();
    }
    Ok(())
}

/// Parse `text`, turning the first parse error into `file:line:col: message`.
/// Shapes rnix would take quadratic time on are refused first
/// ([`check_shape_limits`]).
pub fn parse(path: &Path, text: &str) -> Result<ParsedFile, Error> {
    check_shape_limits(path, text)?;
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
    /// Shared: cloning an index is O(1) (analyses clone it per module).
    starts: std::sync::Arc<[usize]>,
    text: std::sync::Arc<str>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let starts: std::sync::Arc<[usize]> = starts.into();
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
                        out.push_str(&unescape_string_content(child.as_token()?.text())?);
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// The value of the content of a `"..."` string without interpolation, as
/// Nix reads it: `\n`, `\r`, `\t`, and `\` before any other character
/// standing for that character. `None` when it holds a `$` that is not
/// escaped (`$${` and a lone `$` are left to the caller as not static).
fn unescape_string_content(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            '$' => return None,
            other => out.push(other),
        }
    }
    Some(out)
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

/// The attribute set a file evaluates to, under parentheses and `let`
/// blocks (the top of a `flake.nix`), or `None` for another shape.
pub fn top_set(root: &SyntaxNode) -> Option<SyntaxNode> {
    let mut node = unparen(root.first_child()?);
    while node.kind() == SyntaxKind::NODE_LET_IN {
        node = unparen(node.children().last()?);
    }
    (node.kind() == SyntaxKind::NODE_ATTR_SET).then_some(node)
}

/// Whether `node` is an attribute set that is not `rec`.
pub fn is_plain_set(node: &SyntaxNode) -> bool {
    node.kind() == SyntaxKind::NODE_ATTR_SET
        && !node
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
}

/// Every static leaf under `set` with its full attribute path, through
/// nested non-`rec` sets: `a = { b.c = 1; };` gives `(["a", "b", "c"], 1)`.
pub fn static_leaves(set: &SyntaxNode) -> Vec<(Vec<String>, SyntaxNode)> {
    fn walk(set: &SyntaxNode, prefix: &[String], out: &mut Vec<(Vec<String>, SyntaxNode)>) {
        for (_, path, value) in static_entries(set) {
            let mut full = prefix.to_vec();
            full.extend(path);
            let value = unparen(value);
            if is_plain_set(&value) {
                walk(&value, &full, out);
            } else {
                out.push((full, value));
            }
        }
    }
    let mut out = Vec::new();
    walk(set, &[], &mut out);
    out
}

/// The edit that adds the formal `name` after the last formal of `pattern`
/// (`{ a, b }` or `{ a, b, ... }` on one line; one formal per line, with
/// or without a trailing comma, a comment after the comma kept on its
/// line). `Err` says why the layout is not one of those.
pub fn add_formal(
    pattern: &SyntaxNode,
    text: &str,
    name: &str,
) -> Result<crate::syntax::edit::Edit, &'static str> {
    use crate::syntax::edit::Edit;
    use crate::syntax::make;
    let last = pattern
        .children()
        .filter(|c| c.kind() == SyntaxKind::NODE_PAT_ENTRY)
        .last()
        .ok_or("no formal to add the new one after")?;
    let end = usize::from(last.text_range().end());
    if !pattern.text().to_string().contains('\n') {
        return Ok(Edit::insert(
            last.text_range().end(),
            make::formal_after(name),
        ));
    }
    let at = usize::from(last.text_range().start());
    if !starts_line(text, at) {
        return Err("formals on several lines, not one per line");
    }
    let indent = line_indent(text, at);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let rest = text[end..line_end].trim();
    if rest.is_empty() {
        return Ok(Edit::insert(
            last.text_range().end(),
            make::formal_line_after_last(name, indent),
        ));
    }
    match rest.strip_prefix(',').map(str::trim_start) {
        Some(r) if r.is_empty() || r.starts_with('#') => Ok(Edit::insert(
            TextSize::from(line_end as u32),
            make::formal_line_after_comma(name, indent),
        )),
        _ => Err("formals on several lines, not one per line"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_formal_is_added_in_the_pattern_layout() {
        let add = |src: &str| {
            let root = rnix::Root::parse(src).syntax();
            let pattern = root
                .descendants()
                .find(|n| n.kind() == rnix::SyntaxKind::NODE_PATTERN)
                .unwrap();
            super::add_formal(&pattern, src, "x").map(|e| {
                let mut set = crate::syntax::edit::EditSet::new();
                set.add(e).unwrap();
                set.apply(src)
            })
        };
        assert_eq!(add("{ a, b }: a").unwrap(), "{ a, b, x }: a");
        assert_eq!(add("{ a, ... }: a").unwrap(), "{ a, x, ... }: a");
        assert_eq!(
            add("{\n  a,\n  b, # why\n}: a").unwrap(),
            "{\n  a,\n  b, # why\n  x,\n}: a"
        );
        assert_eq!(
            add("{\n  a,\n  b\n}: a").unwrap(),
            "{\n  a,\n  b,\n  x\n}: a"
        );
        assert!(add("{\n  a,\n  b # why\n}: a").is_err());
        assert!(add("{ a\n, b\n}: a").is_err());
    }

    use super::*;

    fn check(text: &str) -> Result<(), String> {
        check_shape_limits(Path::new("f.nix"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn operator_chains_are_bounded_per_nesting_level() {
        let at_limit = format!("{}1", "- ".repeat(MAX_OPERATOR_CHAIN));
        assert_eq!(check(&at_limit), Ok(()));
        let over = format!("{}1", "- ".repeat(MAX_OPERATOR_CHAIN + 1));
        let err = check(&over).unwrap_err();
        // The first operator past the bound, on line 1.
        assert!(
            err.starts_with(&format!("f.nix:1:{}: ", 2 * MAX_OPERATOR_CHAIN + 1)),
            "{err}"
        );
        assert!(err.contains("operators in one chain"), "{err}");
        for op in ["!", "++", "//", "+", "->", "|>"] {
            let chain = format!("x {}", format!("{op} x ").repeat(MAX_OPERATOR_CHAIN + 1));
            assert!(check(&chain).is_err(), "{op}");
        }
        // Separate bindings, parenthesised operands and list elements are
        // not one chain.
        let bindings: String = (0..2 * MAX_OPERATOR_CHAIN)
            .map(|i| format!("a{i} = 1 + 2;\n"))
            .collect();
        assert_eq!(check(&format!("{{ {bindings} }}")), Ok(()));
        let parens = "(1 + 1) ".repeat(2 * MAX_OPERATOR_CHAIN);
        assert_eq!(check(&format!("[ {parens}]")), Ok(()));
        let negatives = "-1 ".repeat(2 * MAX_OPERATOR_CHAIN);
        assert_eq!(check(&format!("[ {negatives}]")), Ok(()));
    }

    #[test]
    fn name_runs_are_bounded() {
        let ok = format!("x{}", ".b".repeat((MAX_NAME_RUN - 1) / 2));
        assert_eq!(check(&ok), Ok(()));
        let long = format!("{{ }}.a{}", ".b".repeat(MAX_NAME_RUN));
        let err = check(&format!("\n{long}")).unwrap_err();
        assert!(err.starts_with("f.nix:2:"), "{err}");
        assert!(err.contains("names and dots in a row"), "{err}");
        // Spaces end a run.
        let spaced = "a.b ".repeat(MAX_NAME_RUN);
        assert_eq!(check(&spaced), Ok(()));
    }

    #[test]
    fn decode_points_at_the_offending_byte() {
        let err = decode_source(Path::new("f.nix"), b"{\n  a = \"\xff\";\n}".to_vec())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("f.nix:2:8: "), "{err}");
        let src = decode_source(Path::new("f.nix"), b"{\r\n  a = 1;\r\n}\r".to_vec()).unwrap();
        assert_eq!(src.text, "{\n  a = 1;\n}\n");
        assert_eq!(
            src.carriage_return,
            Some(Location {
                file: "f.nix".into(),
                line: 1,
                col: 2
            })
        );
    }
}
