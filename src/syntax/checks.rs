//! Errors that rnix accepts but Nix reports when it parses a file, found
//! statically so that they do not depend on the Nix version at hand.
//!
//! [`parse_time_errors`] walks a file once and keeps one table of keys per
//! attribute set (a hash map, so the walk stays linear in the file size):
//!
//! - **Duplicate attributes** in a set, `rec` set, `let` or legacy `let`:
//!   `a` and `"a"` are the same key, and so is `${"a"}` (Nix's parser turns
//!   `${` a string literal `}` into a static key); `"${"a"}"` is not static
//!   for the parser. A dotted path may go through a set written earlier
//!   (`a = { b = 1; }; a.c = 2;` and `a.b = { x = 1; }; a.b.y = 2;` are
//!   fine), but not through anything else (`a = 1; a.b = 2;`, `inherit a;
//!   a.b = 2;`). A whole definition of a name that is already defined is
//!   always a duplicate: Nix 2.8 merges `a.b = 1; a = { c = 2; };` (and
//!   `a = { }; a = { };`), older Nix (2.0, see NixOS/nix#2077) rejects it,
//!   and we follow the strict rule ([`Kind::DuplicateStrict`]; keys then
//!   clash inside the merged set as in 2.8, which merges one level only). `inherit a;` clashes with `a = ...;`, and so does `inherit (x) a;`
//!   twice.
//! - **Duplicates found at evaluation**: a dynamic key whose value is known
//!   without evaluating anything (`"${"a"}"`, or `${h}` where `h` is bound
//!   by a `let` to a string literal) that names a key the set already has.
//!   Nix parses the file and then fails when the set is evaluated
//!   ([`Kind::DuplicateAtEval`]).
//! - **Duplicate formals**: `{ a, a }:` and `{ a }@a:`.
//! - **Dynamic attributes where Nix forbids them**: as the first part of a
//!   `let` binding (`let ${x} = 1; in ...`) and in `inherit`. `rec { ${x} =
//!   1; }`, legacy `let { ${x} = 1; ... }` and `let a.${x} = 1; in ...` are
//!   accepted by Nix 2.8 and are not reported.
//!
//! String keys are read as Nix 2.8's lexer reads them: escapes in `"..."`,
//! and `''...''` strings with their indentation stripped, where an indented
//! string made of more than one lexer token (an escape such as `''\n` or
//! `''$` among other text) is a concatenation, hence dynamic for the parser.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use rnix::{SyntaxKind, SyntaxNode, TextSize};

use crate::error::Location;
use crate::scope::{BinderKind, ScopeIndex};
use crate::syntax::{unparen, ParsedFile};

/// The class of a [`ParseTimeError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An attribute defined twice; Nix 2.8 rejects the file when it parses it.
    Duplicate,
    /// A whole definition of a name already defined as a set, where the new
    /// value is a set too: Nix 2.8 merges the two, older Nix (2.0) rejects it.
    DuplicateStrict,
    /// A dynamic key whose value is known statically names a key the set
    /// already has: Nix parses the file, evaluating the set fails.
    DuplicateAtEval,
    /// A function argument declared twice (`{ a, a }:`, `{ a }@a:`).
    DuplicateFormal,
    /// A dynamic attribute as the first part of a `let` binding.
    DynamicInLet,
    /// A dynamic attribute in `inherit`.
    DynamicInInherit,
}

impl Kind {
    /// Whether Nix 2.8 rejects a file with this error when it parses it.
    pub fn rejected_at_parse(self) -> bool {
        !matches!(self, Kind::DuplicateStrict | Kind::DuplicateAtEval)
    }
}

/// One error, at the second definition (or the offending attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimeError {
    pub kind: Kind,
    pub location: Location,
    /// The first definition, for duplicates.
    pub first: Option<Location>,
    /// The attribute path, argument name or key as written (`a.b`, `${x}`).
    pub name: String,
    pub message: String,
}

impl fmt::Display for ParseTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every parse-time error of `file` (which lives at `path`), in the order
/// the walk meets them.
pub fn parse_time_errors(file: &ParsedFile, path: &Path) -> Vec<ParseTimeError> {
    let mut c = Checker {
        file,
        path,
        tables: Vec::new(),
        done: HashSet::new(),
        pending: Vec::new(),
        scope: None,
        errors: Vec::new(),
    };
    for node in file.root.descendants() {
        match node.kind() {
            SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LET_IN | SyntaxKind::NODE_LEGACY_LET
                if !c.done.contains(&node) =>
            {
                c.set(&node);
            }
            SyntaxKind::NODE_LAMBDA => c.formals(&node),
            _ => {}
        }
    }
    c.dynamic_duplicates();
    c.errors
}

/// What the parser knows of a key.
enum Key {
    /// A static name.
    Static(String),
    /// Dynamic for the parser, but its value is known without evaluating anything.
    Known(String),
    Dynamic,
}

struct Slot {
    at: TextSize,
    /// The table of the set it names, when it names a set written in place
    /// (a `{ }` value or the implicit set of a dotted path).
    set: Option<usize>,
    inherited: bool,
}

#[derive(Default)]
struct Table {
    order: Vec<String>,
    slots: HashMap<String, Slot>,
}

/// A dynamic key whose value is known.
struct Pending {
    table: usize,
    value: String,
    at: TextSize,
    /// The key is part `upto` of this attribute path.
    attrpath: SyntaxNode,
    upto: usize,
}

struct Checker<'a> {
    file: &'a ParsedFile,
    path: &'a Path,
    tables: Vec<Table>,
    /// Sets already read (as the value of an entry of an enclosing set).
    done: HashSet<SyntaxNode>,
    pending: Vec<Pending>,
    /// Reference start -> binder, built on the first dynamic key that is a variable.
    scope: Option<(ScopeIndex, HashMap<TextSize, usize>)>,
    errors: Vec<ParseTimeError>,
}

impl Checker<'_> {
    fn loc(&self, at: TextSize) -> Location {
        self.file.lines.location(self.path, at)
    }

    fn error(&mut self, kind: Kind, at: TextSize, first: Option<TextSize>, name: String) {
        let first_loc = first.map(|f| self.loc(f));
        let at_first = first_loc
            .as_ref()
            .map(|l| format!(" (first defined at {}:{})", l.line, l.col))
            .unwrap_or_default();
        let message = match kind {
            Kind::Duplicate => format!(
                "attribute `{name}` is defined twice{at_first}; Nix rejects this when it parses the file"
            ),
            Kind::DuplicateStrict => format!(
                "attribute `{name}` is defined twice{at_first}; Nix 2.8 merges the two attribute sets, but older Nix (2.0) rejects this when it parses the file"
            ),
            Kind::DuplicateAtEval => format!(
                "attribute `{name}` is defined twice{at_first}; Nix parses this but fails at evaluation (\"attribute already defined\")"
            ),
            Kind::DuplicateFormal => format!(
                "function argument `{name}` is declared twice{at_first}; Nix rejects this when it parses the file"
            ),
            Kind::DynamicInLet => format!(
                "dynamic attribute `{name}` in `let`; Nix rejects this when it parses the file (\"dynamic attributes not allowed in let\")"
            ),
            Kind::DynamicInInherit => format!(
                "dynamic attribute `{name}` in `inherit`; Nix rejects this when it parses the file (\"dynamic attributes not allowed in inherit\")"
            ),
        };
        let location = self.loc(at);
        self.errors.push(ParseTimeError {
            kind,
            location,
            first: first_loc,
            name,
            message,
        });
    }

    fn new_table(&mut self) -> usize {
        self.tables.push(Table::default());
        self.tables.len() - 1
    }

    /// Read an attribute set, `let` or legacy `let`; returns its table.
    fn set(&mut self, node: &SyntaxNode) -> usize {
        self.done.insert(node.clone());
        let is_let = node.kind() == SyntaxKind::NODE_LET_IN;
        let table = self.new_table();
        for entry in node.children() {
            match entry.kind() {
                SyntaxKind::NODE_ATTRPATH_VALUE => self.entry(table, &entry, is_let),
                SyntaxKind::NODE_INHERIT => self.inherit(table, &entry),
                _ => {}
            }
        }
        table
    }

    fn entry(&mut self, table: usize, entry: &SyntaxNode, is_let: bool) {
        let Some(attrpath) = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
        else {
            return;
        };
        let attrs: Vec<SyntaxNode> = attrpath.children().collect();
        let value = crate::syntax::attr_value(entry);
        let start = attrpath.text_range().start();
        let mut t = table;
        for (i, attr) in attrs.iter().enumerate() {
            let last = i + 1 == attrs.len();
            let key = self.key(attr);
            let name = match key {
                Key::Static(name) => name,
                other => {
                    if is_let && i == 0 {
                        let name = attr.text().to_string();
                        self.error(Kind::DynamicInLet, attr.text_range().start(), None, name);
                        return;
                    }
                    if let Key::Known(value) = other {
                        self.pending.push(Pending {
                            table: t,
                            value,
                            at: attr.text_range().start(),
                            attrpath: attrpath.clone(),
                            upto: i,
                        });
                    }
                    // The parser gives each dynamic part a set of its own.
                    t = self.new_table();
                    continue;
                }
            };
            if !last {
                match self.tables[t].slots.get(&name) {
                    Some(slot) if !slot.inherited && slot.set.is_some() => {
                        t = slot.set.unwrap_or(t);
                    }
                    Some(slot) => {
                        let first = slot.at;
                        let full = self.path_text(&attrpath, attrs.len());
                        self.error(Kind::Duplicate, start, Some(first), full);
                        return;
                    }
                    None => {
                        let nested = self.new_table();
                        self.insert(
                            t,
                            name,
                            Slot {
                                at: start,
                                set: Some(nested),
                                inherited: false,
                            },
                        );
                        t = nested;
                    }
                }
                continue;
            }
            let value_set = value
                .clone()
                .map(unparen)
                .filter(|v| v.kind() == SyntaxKind::NODE_ATTR_SET)
                .map(|v| self.set(&v));
            match self.tables[t].slots.get(&name) {
                Some(slot) if !slot.inherited && slot.set.is_some() && value_set.is_some() => {
                    let (first, target) = (slot.at, slot.set.unwrap_or(t));
                    let full = self.path_text(&attrpath, attrs.len());
                    self.error(Kind::DuplicateStrict, start, Some(first), full.clone());
                    if let Some(source) = value_set {
                        self.merge(target, source, &full);
                    }
                }
                Some(slot) => {
                    let first = slot.at;
                    let full = self.path_text(&attrpath, attrs.len());
                    self.error(Kind::Duplicate, start, Some(first), full);
                }
                None => self.insert(
                    t,
                    name,
                    Slot {
                        at: start,
                        set: value_set,
                        inherited: false,
                    },
                ),
            }
        }
    }

    /// What Nix 2.8 does with `a = { ... }` when `a` is a set already:
    /// the keys of the new set join the old one, and clash with its keys.
    fn merge(&mut self, target: usize, source: usize, prefix: &str) {
        let source = std::mem::take(&mut self.tables[source]);
        let mut slots = source.slots;
        for name in source.order {
            let Some(slot) = slots.remove(&name) else {
                continue;
            };
            match self.tables[target].slots.get(&name) {
                Some(old) => {
                    let first = old.at;
                    self.error(
                        Kind::Duplicate,
                        slot.at,
                        Some(first),
                        format!("{prefix}.{}", show_name(&name)),
                    );
                }
                None => self.insert(target, name, slot),
            }
        }
    }

    fn insert(&mut self, table: usize, name: String, slot: Slot) {
        let t = &mut self.tables[table];
        t.order.push(name.clone());
        t.slots.insert(name, slot);
    }

    fn inherit(&mut self, table: usize, entry: &SyntaxNode) {
        for attr in entry
            .children()
            .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
        {
            let at = attr.text_range().start();
            let Key::Static(name) = self.key(&attr) else {
                self.error(Kind::DynamicInInherit, at, None, attr.text().to_string());
                continue;
            };
            match self.tables[table].slots.get(&name) {
                Some(slot) => {
                    let first = slot.at;
                    self.error(Kind::Duplicate, at, Some(first), show_name(&name));
                }
                None => self.insert(
                    table,
                    name,
                    Slot {
                        at,
                        set: None,
                        inherited: true,
                    },
                ),
            }
        }
    }

    fn formals(&mut self, lambda: &SyntaxNode) {
        let Some(pattern) = lambda
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)
        else {
            return;
        };
        let mut seen: HashMap<String, TextSize> = HashMap::new();
        for part in pattern.children() {
            if !matches!(
                part.kind(),
                SyntaxKind::NODE_PAT_ENTRY | SyntaxKind::NODE_PAT_BIND
            ) {
                continue;
            }
            let Some(id) = part.children().find(|c| c.kind() == SyntaxKind::NODE_IDENT) else {
                continue;
            };
            let name = id.text().to_string();
            let at = id.text_range().start();
            match seen.get(&name) {
                Some(&first) => self.error(Kind::DuplicateFormal, at, Some(first), name),
                None => {
                    seen.insert(name, at);
                }
            }
        }
    }

    /// Dynamic keys with a known value against the keys of their set, and
    /// against each other.
    fn dynamic_duplicates(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_by_key(|p| p.at);
        let mut seen: HashMap<(usize, String), TextSize> = HashMap::new();
        for p in pending {
            let static_at = self.tables[p.table].slots.get(&p.value).map(|s| s.at);
            let first = static_at.or_else(|| seen.get(&(p.table, p.value.clone())).copied());
            match first {
                Some(first) if first < p.at => {
                    let name = self.path_text(&p.attrpath, p.upto + 1);
                    self.error(Kind::DuplicateAtEval, p.at, Some(first), name);
                }
                Some(first) => {
                    // The static key comes later: report it, naming the dynamic one.
                    self.error(
                        Kind::DuplicateAtEval,
                        first,
                        Some(p.at),
                        show_name(&p.value),
                    );
                }
                None => {
                    seen.insert((p.table, p.value), p.at);
                }
            }
        }
    }

    /// The first `len` parts of an attribute path, for messages: static
    /// names as Nix writes them, dynamic parts as in the source.
    fn path_text(&mut self, attrpath: &SyntaxNode, len: usize) -> String {
        let mut parts = Vec::new();
        for attr in attrpath.children().take(len) {
            parts.push(match self.key(&attr) {
                Key::Static(name) => show_name(&name),
                _ => attr.text().to_string(),
            });
        }
        parts.join(".")
    }

    fn key(&mut self, attr: &SyntaxNode) -> Key {
        match attr.kind() {
            SyntaxKind::NODE_IDENT => Key::Static(attr.text().to_string()),
            SyntaxKind::NODE_STRING => match string_literal(attr) {
                Some(v) => Key::Static(v),
                None => self.known(attr).map_or(Key::Dynamic, Key::Known),
            },
            SyntaxKind::NODE_DYNAMIC => {
                let Some(inner) = attr.children().next().map(unparen) else {
                    return Key::Dynamic;
                };
                if inner.kind() == SyntaxKind::NODE_STRING {
                    if let Some(v) = string_literal(&inner) {
                        return Key::Static(v);
                    }
                }
                self.known(&inner).map_or(Key::Dynamic, Key::Known)
            }
            _ => Key::Dynamic,
        }
    }

    /// The value of a key expression that is known without evaluating
    /// anything: strings of literals, and variables bound by `let` to one.
    fn known(&mut self, expr: &SyntaxNode) -> Option<String> {
        let expr = unparen(expr.clone());
        match expr.kind() {
            SyntaxKind::NODE_STRING => string_value(&expr, &mut |e| self.known(e)),
            SyntaxKind::NODE_IDENT => {
                let (index, by_start) = self.scope.get_or_insert_with(|| {
                    let index = ScopeIndex::build(&self.file.root);
                    let by_start = index
                        .refs
                        .iter()
                        .filter_map(|r| Some((r.range.start(), r.binder?)))
                        .collect();
                    (index, by_start)
                });
                let binder = &index.binders[*by_start.get(&expr.text_range().start())?];
                if binder.kind != BinderKind::Let || binder.entries.len() != 1 {
                    return None;
                }
                let entry = &binder.entries[0];
                if crate::syntax::attrpath_names(entry)?.len() != 1 {
                    return None;
                }
                literal_value(&crate::syntax::attr_value(entry)?)
            }
            _ => None,
        }
    }
}

/// A key as Nix writes it: bare when it is an identifier, quoted otherwise.
fn show_name(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-'));
    if ident
        && !matches!(
            name,
            "if" | "then" | "else" | "assert" | "with" | "let" | "in" | "rec" | "inherit"
        )
    {
        return name.to_string();
    }
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A part of a string as Nix's lexer sees it.
enum Part {
    /// Literal text; `indented` is Nix's `hasIndentation` (plain text of an
    /// indented string, as opposed to an escape).
    Text { text: String, indented: bool },
    /// An interpolation, with its value when it is known.
    Interpolation(Option<String>),
}

fn is_indented(string: &SyntaxNode) -> bool {
    string
        .first_token()
        .is_some_and(|t| t.text().starts_with("''"))
}

/// The parts of a string node: raw text between interpolations, lexed as
/// Nix does; interpolations valued by `value`.
fn string_parts(
    string: &SyntaxNode,
    value: &mut dyn FnMut(&SyntaxNode) -> Option<String>,
) -> Vec<Part> {
    let indented = is_indented(string);
    let mut parts = Vec::new();
    let mut raw = String::new();
    let mut first = true;
    let mut flush = |raw: &mut String, parts: &mut Vec<Part>| {
        if indented && std::mem::take(&mut first) {
            // Nix's lexer takes spaces and a line break after `''` into the opening token.
            let spaces = raw.len() - raw.trim_start_matches(' ').len();
            if raw[spaces..].starts_with('\n') {
                raw.drain(..=spaces);
            }
        }
        if !raw.is_empty() {
            if indented {
                lex_indented(raw, parts);
            } else {
                parts.push(Part::Text {
                    text: unescape(raw),
                    indented: false,
                });
            }
            raw.clear();
        }
    };
    for child in string.children_with_tokens() {
        match child {
            rnix::NodeOrToken::Token(t) if t.kind() == SyntaxKind::TOKEN_STRING_CONTENT => {
                raw.push_str(t.text())
            }
            rnix::NodeOrToken::Node(n) if n.kind() == SyntaxKind::NODE_INTERPOL => {
                flush(&mut raw, &mut parts);
                let inner = n.children().next();
                parts.push(Part::Interpolation(inner.and_then(|e| value(&e))));
            }
            _ => {}
        }
    }
    flush(&mut raw, &mut parts);
    parts
}

/// The value of a string the parser turns into a constant (a static key):
/// a `"..."` string without interpolation, or a `''...''` string that is
/// one lexer token (or none) without interpolation.
fn string_literal(string: &SyntaxNode) -> Option<String> {
    let parts = string_parts(string, &mut |_| None);
    if parts.iter().any(|p| matches!(p, Part::Interpolation(_))) {
        return None;
    }
    if is_indented(string) {
        if parts.len() > 1 {
            return None;
        }
        return Some(strip_indentation(&parts));
    }
    Some(
        parts
            .into_iter()
            .map(|p| match p {
                Part::Text { text, .. } => text,
                Part::Interpolation(_) => String::new(),
            })
            .collect(),
    )
}

/// A string of literals (interpolations included), without variables.
fn literal_value(expr: &SyntaxNode) -> Option<String> {
    let expr = unparen(expr.clone());
    (expr.kind() == SyntaxKind::NODE_STRING)
        .then(|| string_value(&expr, &mut literal_value))
        .flatten()
}

/// The value of a string whose interpolations `value` knows.
fn string_value(
    string: &SyntaxNode,
    value: &mut dyn FnMut(&SyntaxNode) -> Option<String>,
) -> Option<String> {
    let parts = string_parts(string, value);
    if parts.iter().any(|p| matches!(p, Part::Interpolation(None))) {
        return None;
    }
    if is_indented(string) {
        return Some(strip_indentation(&parts));
    }
    Some(
        parts
            .into_iter()
            .map(|p| match p {
                Part::Text { text, .. } => text,
                Part::Interpolation(v) => v.unwrap_or_default(),
            })
            .collect(),
    )
}

/// Nix's `unescapeStr` for `"..."` strings.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(c) => out.push(c),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The tokens Nix's lexer makes of the text of an indented string between
/// interpolations (`IND_STR`: runs of text, and each escape on its own).
fn lex_indented(raw: &str, parts: &mut Vec<Part>) {
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // A run of text: `([^$']|\$[^{']|'[^'$])+`.
        let mut j = i;
        loop {
            match chars.get(j) {
                None => break,
                Some('$') | Some('\'') => {
                    let stop: &[char] = if chars[j] == '$' {
                        &['{', '\'']
                    } else {
                        &['\'', '$']
                    };
                    match chars.get(j + 1) {
                        Some(n) if !stop.contains(n) => j += 2,
                        _ => break,
                    }
                }
                Some(_) => j += 1,
            }
        }
        if j > i {
            parts.push(Part::Text {
                text: chars[i..j].iter().collect(),
                indented: true,
            });
            i = j;
            continue;
        }
        let rest = &chars[i..];
        let (text, len) = match rest {
            ['\'', '\'', '$', ..] => ("$".to_string(), 3),
            ['\'', '\'', '\'', ..] => ("''".to_string(), 3),
            ['\'', '\'', '\\', c, ..] => (unescape(&format!("\\{c}")), 4),
            [c, ..] => (c.to_string(), 1),
            [] => break,
        };
        parts.push(Part::Text {
            text,
            indented: false,
        });
        i += len;
    }
}

/// Nix 2.8's `stripIndentation` over the parts of an indented string.
fn strip_indentation(parts: &[Part]) -> String {
    let mut at_start = true;
    let mut min_indent = usize::MAX;
    let mut cur = 0usize;
    for part in parts {
        match part {
            Part::Text {
                text,
                indented: true,
            } => {
                for c in text.chars() {
                    if at_start {
                        if c == ' ' {
                            cur += 1;
                        } else if c == '\n' {
                            cur = 0;
                        } else {
                            at_start = false;
                            min_indent = min_indent.min(cur);
                        }
                    } else if c == '\n' {
                        at_start = true;
                        cur = 0;
                    }
                }
            }
            _ => {
                if at_start {
                    at_start = false;
                    min_indent = min_indent.min(cur);
                }
            }
        }
    }
    let mut out = String::new();
    at_start = true;
    let mut dropped = 0usize;
    for (k, part) in parts.iter().enumerate() {
        match part {
            Part::Interpolation(v) => {
                at_start = false;
                dropped = 0;
                out.push_str(v.as_deref().unwrap_or_default());
            }
            Part::Text { text, .. } => {
                let mut s = String::new();
                for c in text.chars() {
                    if at_start {
                        if c == ' ' {
                            if dropped >= min_indent {
                                s.push(c);
                            }
                            dropped += 1;
                        } else if c == '\n' {
                            dropped = 0;
                            s.push(c);
                        } else {
                            at_start = false;
                            dropped = 0;
                            s.push(c);
                        }
                    } else {
                        s.push(c);
                        if c == '\n' {
                            at_start = true;
                        }
                    }
                }
                if k + 1 == parts.len() {
                    if let Some(p) = s.rfind('\n') {
                        if s[p + 1..].chars().all(|c| c == ' ') {
                            s.truncate(p + 1);
                        }
                    }
                }
                out.push_str(&s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// The errors of `src` as `(kind, line:col, name)`.
    fn errors(src: &str) -> Vec<(Kind, String, String)> {
        let file = parse(Path::new("t.nix"), src).expect("parses");
        parse_time_errors(&file, Path::new("t.nix"))
            .into_iter()
            .map(|e| {
                (
                    e.kind,
                    format!("{}:{}", e.location.line, e.location.col),
                    e.name,
                )
            })
            .collect()
    }

    fn kinds(src: &str) -> Vec<Kind> {
        errors(src).into_iter().map(|e| e.0).collect()
    }

    fn fine(src: &str) {
        assert_eq!(errors(src), vec![], "{src}");
    }

    use Kind::*;

    #[test]
    fn static_duplicates() {
        assert_eq!(
            errors("{ a = 1; a = 2; }"),
            [(Duplicate, "1:10".into(), "a".into())]
        );
        assert_eq!(kinds("{ a = 1; \"a\" = 2; }"), [Duplicate]);
        assert_eq!(kinds("let a = 1; a = 2; in a"), [Duplicate]);
        assert_eq!(kinds("rec { a = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("let { a = 1; a = 2; body = a; }"), [Duplicate]);
        assert_eq!(kinds("{ \"a\\nb\" = 1; \"a\nb\" = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ \"\\a\" = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ x = { a = 1; }; y = { a = 1; }; }"), []);
        fine("{ a = 1; b = { a = 2; }; }");
    }

    #[test]
    fn dotted_paths() {
        fine("{ a.b = 1; a.c = 2; }");
        fine("{ a = { b = 1; }; a.c = 2; }");
        fine("{ a = ({ b = 1; }); a.c = 2; }");
        fine("{ a = rec { b = 1; }; a.c = 2; }");
        fine("{ a.b = { x = 1; }; a.b.y = 2; }");
        assert_eq!(
            errors("{ a.b.c = 1; a.b.c = 2; }"),
            [(Duplicate, "1:14".into(), "a.b.c".into())]
        );
        assert_eq!(kinds("{ a = { b = 1; }; a.b = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ a = { b = 1; }; a.b.c = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ a = 1; a.b = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ a.b = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ \"a\" = 1; a.b = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ a = {} // {}; a.b = 1; }"), [Duplicate]);
        assert_eq!(kinds("{ a = let in { c = 1; }; a.b = 1; }"), [Duplicate]);
    }

    #[test]
    fn whole_definitions_after_paths_follow_the_strict_rule() {
        // Nix 2.8 merges these; older Nix rejects them.
        assert_eq!(
            errors("{ a.b = 1; a = { c = 2; }; }"),
            [(DuplicateStrict, "1:12".into(), "a".into())]
        );
        assert_eq!(kinds("{ a.b.y = 2; a.b = { x = 1; }; }"), [DuplicateStrict]);
        assert_eq!(
            kinds("{ a = { b = 1; }; a = { c = 1; }; }"),
            [DuplicateStrict]
        );
        // ... and inside the merged set, keys clash as in Nix 2.8.
        assert_eq!(
            kinds("{ a.b = 1; a = { b = 2; }; }"),
            [DuplicateStrict, Duplicate]
        );
        assert_eq!(
            kinds("{ a = { b.c = 1; }; a = { b.d = 2; }; }"),
            [DuplicateStrict, Duplicate]
        );
        assert_eq!(
            kinds("{ a.b = 1; a = { c = 2; }; a.c = 3; }"),
            [DuplicateStrict, Duplicate]
        );
    }

    #[test]
    fn dynamic_keys_with_literal_strings() {
        // `${"a"}` is a static key for Nix's parser.
        assert_eq!(kinds("{ ${\"a\"} = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ a = 1; ${\"a\"} = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${(\"a\")} = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${''a''} = 1; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${''''} = 1; \"\" = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${\"a\"}.b = 1; a.b = 2; }"), [Duplicate]);
        assert_eq!(
            kinds("{ ${''\n    a\n  ''} = 1; \"a\\n\" = 2; }"),
            [Duplicate]
        );
        assert_eq!(kinds("{ ${''  \n  a''} = 1; a = 2; }"), [Duplicate]);
        // An interpolated string is a concatenation: Nix fails at evaluation.
        assert_eq!(
            errors("{ \"${\"a\"}\" = 1; a = 2; }"),
            [(DuplicateAtEval, "1:17".into(), "a".into())]
        );
        assert_eq!(kinds("{ a = 1; \"${\"a\"}\" = 2; }"), [DuplicateAtEval]);
        assert_eq!(kinds("{ \"${\"a\"}\".b = 1; a.b = 2; }"), [DuplicateAtEval]);
        // So is an indented string of several lexer tokens (here an escape).
        assert_eq!(
            kinds("{ ${''a''\\nb''} = 1; \"a\\nb\" = 2; }"),
            [DuplicateAtEval]
        );
        fine("{ ${''a''\\nb''} = 1; \"a\\\\nb\" = 2; }");
    }

    #[test]
    fn let_bound_strings_as_keys_fail_at_evaluation() {
        let errs = {
            let file = parse(
                Path::new("t.nix"),
                "let h = \"delta\"; in { ${h} = 1; delta = 2; }",
            )
            .unwrap();
            parse_time_errors(&file, Path::new("t.nix"))
        };
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].kind, DuplicateAtEval);
        assert_eq!(errs[0].name, "delta");
        assert!(
            errs[0].message.contains("fails at evaluation"),
            "{}",
            errs[0].message
        );
        assert_eq!(
            kinds("let h = \"a\"; in { ${h} = 1; ${h} = 2; }"),
            [DuplicateAtEval]
        );
        assert_eq!(
            kinds("let h = \"a\"; in { \"${h}\" = 1; a = 2; }"),
            [DuplicateAtEval]
        );
        assert_eq!(
            kinds("let h = \"a\"; in { ${h}.x = 1; ${h}.y = 2; }"),
            [DuplicateAtEval]
        );
        // Not a `let` string: unknown, not reported.
        fine("h: { ${h} = 1; delta = 2; }");
        fine("let h = x: x; in { ${h \"a\"} = 1; a = 2; }");
        fine("let h = \"delta\"; in { ${h} = 1; other = 2; }");
    }

    #[test]
    fn inherit() {
        assert_eq!(kinds("let a = 1; in { inherit a; a = 2; }"), [Duplicate]);
        assert_eq!(kinds("let a = 1; in { a = 2; inherit a; }"), [Duplicate]);
        assert_eq!(
            kinds("let x = {}; in { inherit (x) a; inherit (x) a; }"),
            [Duplicate]
        );
        assert_eq!(kinds("let x = {}; in { inherit (x) a a; }"), [Duplicate]);
        assert_eq!(
            kinds("let x = {}; in { inherit (x) a; a.b = 1; }"),
            [Duplicate]
        );
        assert_eq!(
            kinds("let a = {}; in { inherit a; a = { b = 1; }; }"),
            [Duplicate]
        );
        assert_eq!(
            kinds("let a = 1; in let inherit a; a = 2; in a"),
            [Duplicate]
        );
        fine("let a = 1; in { inherit \"a\"; }");
        fine("let a = 1; in { inherit ${\"a\"}; }");
    }

    #[test]
    fn formals() {
        assert_eq!(
            errors("{ a, b ? 1, a ? 2 }: 1"),
            [(DuplicateFormal, "1:13".into(), "a".into())]
        );
        assert_eq!(kinds("{ a }@a: 1"), [DuplicateFormal]);
        assert_eq!(kinds("a@{ a }: 1"), [DuplicateFormal]);
        fine("x: { x }: 1");
        fine("{ a, b, ... }@c: 1");
    }

    #[test]
    fn dynamic_attributes_in_let_and_inherit() {
        assert_eq!(
            errors("x: let ${x} = 1; in 2"),
            [(DynamicInLet, "1:8".into(), "${x}".into())]
        );
        assert_eq!(kinds("x: let \"${x}\" = 1; in 2"), [DynamicInLet]);
        assert_eq!(kinds("let \"${\"a\"}\" = 1; in 2"), [DynamicInLet]);
        assert_eq!(kinds("x: { inherit \"${x}\"; }"), [DynamicInInherit]);
        // Accepted by Nix 2.8.
        fine("let ${\"a\"} = 1; in 2");
        fine("x: let a.${x} = 1; in a");
        fine("x: rec { ${x} = 1; }");
        fine("x: let { ${x} = 1; body = 2; }");
        fine("let \"a\" = 1; in a");
    }

    #[test]
    fn large_sets_and_long_paths() {
        let mut src = String::from("let h = \"k7\"; in {");
        for i in 0..3000 {
            src.push_str(&format!(" k{i}.x.${{h}} = {i};"));
        }
        let long: Vec<String> = (0..300).map(|i| format!("p{i}")).collect();
        let long = long.join(".");
        src.push_str(&format!(" {long} = 1; {long} = 2; k7 = 3; }}"));
        let errs = errors(&src);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!((errs[0].0, errs[1].0), (Duplicate, Duplicate));
        assert!(errs[0].2.ends_with("p298.p299"));
        assert_eq!(errs[1].2, "k7");
    }

    #[test]
    fn string_keys_follow_the_nix_lexer() {
        assert_eq!(kinds("{ \"\\${x}\" = 1; \"\\${x}\" = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${''''$''} = 1; \"$\" = 2; }"), [Duplicate]);
        assert_eq!(kinds("{ ${''a'b''} = 1; \"a'b\" = 2; }"), [Duplicate]);
        // `$${` is no interpolation for Nix.
        assert_eq!(kinds("x: { \"$${x}\" = 1; \"$${x}\" = 2; }"), [Duplicate]);
        assert_eq!(
            kinds("x: { ${''$${x}''} = 1; \"$${x}\" = 2; }"),
            [Duplicate]
        );
        // `''$` among other text is two tokens: a concatenation.
        assert_eq!(kinds("{ ${''a''$''} = 1; \"a$\" = 2; }"), [DuplicateAtEval]);
        assert_eq!(show_name("a-b'"), "a-b'");
        assert_eq!(show_name("x y"), "\"x y\"");
        assert_eq!(show_name("in"), "\"in\"");
    }
}
