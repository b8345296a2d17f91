//! A template as the body of a function whose parameters are its holes.
//!
//! [`function_body`] writes a [`Template`] with each hole replaced by the
//! name of its parameter, laid out at a given indentation:
//!
//! - a value hole is its parameter;
//! - a sequence hole is concatenated where it sits (`[ a ] ++ extraImports`);
//! - an optional entry is merged only when the caller passes it:
//!   `{ ... } // (if args ? backupFileExtension then { inherit
//!   backupFileExtension; } else { })`, so a call that leaves it out
//!   leaves the attribute unset (the parameter's `? null` is never read);
//! - `name = name;` entries are written `inherit name;`, and a set holding
//!   one entry is written as a dotted path (`users.alice.imports = ...`).
//!
//! [`reduce`] is the other half of the proof: the body of such a function
//! beta-reduced for one call, with the `if args ? x` tests decided and the
//! `//` and `++` of literal sets and lists done, as text that parses.

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::{Binding, Entry, Generalisation, HoleKind, Item, Template};
use crate::scope::ScopeIndex;
use crate::syntax::indent::{shift_range, Shift};
use crate::syntax::{line_indent, static_attr_name, unparen};

/// Where an expression is written, for parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Bare,
    Elem,
}

/// How to write the holes.
pub struct Naming<'a> {
    /// The parameter of each hole (indexed like [`Generalisation::holes`]).
    pub names: &'a [String],
    /// The name of the `@` pattern that holds the arguments.
    pub args: &'a str,
    /// The indent unit.
    pub unit: &'a str,
}

/// The body of the function (see the module documentation), its first line
/// at the current column and its other lines indented from `indent`; an
/// error names a shape that cannot be a function body (an optional entry
/// of a `rec` set or a `let`).
pub fn function_body(g: &Generalisation, naming: &Naming, indent: &str) -> Result<String, String> {
    let w = W { naming };
    w.write(&g.template, indent, Place::Bare)
}

/// The text of `node` (from a parsed tree) with its continuation lines
/// moved to `indent`, strings unchanged.
pub fn node_text(node: &SyntaxNode, indent: &str) -> String {
    let root = node.ancestors().last().unwrap_or_else(|| node.clone());
    let full = root.text().to_string();
    let base = line_indent(&full, usize::from(node.text_range().start())).to_string();
    let mut text = shift_range(
        &root,
        node.text_range(),
        Shift {
            remove: &base,
            add: indent,
        },
    );
    if node
        .last_token()
        .is_some_and(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        text.push('\n');
        text.push_str(indent);
    }
    text
}

/// The argument text of a binding (a sequence as a list), laid out at `indent`.
pub fn binding_text(b: &Binding, indent: &str, unit: &str) -> Option<String> {
    match b {
        Binding::Expr(n) => Some(match as_set(n) {
            Some(set) => {
                let naming = Naming {
                    names: &[],
                    args: "args",
                    unit,
                };
                W { naming: &naming }
                    .write(&set, indent, Place::Bare)
                    .unwrap_or_else(|_| node_text(n, indent))
            }
            None => node_text(n, indent),
        }),
        Binding::Seq(elems) => {
            let inner = format!("{indent}{unit}");
            let texts: Vec<String> = elems.iter().map(|e| elem_text(e, &inner)).collect();
            Some(list_text(&texts, indent, unit))
        }
        Binding::Absent => None,
    }
}

fn elem_text(node: &SyntaxNode, indent: &str) -> String {
    let text = node_text(node, indent);
    if atomic(node, Place::Elem) {
        text
    } else {
        format!("({text})")
    }
}

fn list_text(texts: &[String], indent: &str, unit: &str) -> String {
    if texts.is_empty() {
        return "[ ]".into();
    }
    let one_line = format!("[ {} ]", texts.join(" "));
    if !one_line.contains('\n') && one_line.len() + indent.len() <= 60 {
        return one_line;
    }
    let mut out = String::from("[");
    for t in texts {
        out.push('\n');
        out.push_str(indent);
        out.push_str(unit);
        out.push_str(t);
    }
    out.push('\n');
    out.push_str(indent);
    out.push(']');
    out
}

fn atomic(node: &SyntaxNode, place: Place) -> bool {
    use SyntaxKind::*;
    match node.kind() {
        NODE_IDENT | NODE_LITERAL | NODE_STRING | NODE_LIST | NODE_ATTR_SET | NODE_PAREN
        | NODE_PATH_ABS | NODE_PATH_HOME | NODE_PATH_REL | NODE_PATH_SEARCH => true,
        NODE_SELECT => !node.children_with_tokens().any(|t| t.kind() == TOKEN_OR),
        _ => place == Place::Bare,
    }
}

struct W<'a> {
    naming: &'a Naming<'a>,
}

impl W<'_> {
    fn name(&self, h: usize) -> String {
        self.naming
            .names
            .get(h)
            .cloned()
            .unwrap_or_else(|| format!("arg{h}"))
    }

    fn write(&self, t: &Template, indent: &str, place: Place) -> Result<String, String> {
        if let Template::Same(node) = t {
            if let Some(set) = as_set(node) {
                return self.write(&set, indent, place);
            }
        }
        Ok(match t {
            Template::Same(node) => {
                let text = node_text(node, indent);
                if atomic(&unparen(node.clone()), place) || node.kind() == SyntaxKind::NODE_PAREN {
                    text
                } else {
                    format!("({text})")
                }
            }
            Template::Hole(h) => self.name(*h),
            Template::Node { node, children } => {
                let root = node.ancestors().last().unwrap_or_else(|| node.clone());
                let full = root.text().to_string();
                let base = line_indent(&full, usize::from(node.text_range().start())).to_string();
                let shift = Shift {
                    remove: &base,
                    add: indent,
                };
                let mut out = String::new();
                let mut at = node.text_range().start();
                for (range, child) in children {
                    if range.start() < at {
                        return Err("overlapping parts".into());
                    }
                    out.push_str(&shift_range(
                        &root,
                        TextRange::new(at, range.start()),
                        shift,
                    ));
                    let child_base = line_indent(&full, usize::from(range.start())).to_string();
                    let child_indent = match child_base.strip_prefix(base.as_str()) {
                        Some(extra) => format!("{indent}{extra}"),
                        None => indent.to_string(),
                    };
                    let piece = self.write(child, &child_indent, Place::Elem)?;
                    let tight = !atomic_template(child);
                    if tight {
                        out.push('(');
                        out.push_str(&piece);
                        out.push(')');
                    } else {
                        out.push_str(&piece);
                    }
                    at = range.end();
                }
                out.push_str(&shift_range(
                    &root,
                    TextRange::new(at, node.text_range().end()),
                    shift,
                ));
                if atomic(node, place) {
                    out
                } else {
                    format!("({out})")
                }
            }
            Template::Set { rec, entries } => self.set(*rec, entries, indent, place)?,
            Template::Let { entries, body } => {
                if entries.iter().any(|e| matches!(e, Entry::Optional { .. })) {
                    return Err("a `let` binding that some copies lack".into());
                }
                let inner = format!("{indent}{}", self.naming.unit);
                let mut out = String::from("let");
                for line in self.entry_lines(entries, &inner)? {
                    out.push('\n');
                    out.push_str(&inner);
                    out.push_str(&line);
                }
                out.push('\n');
                out.push_str(indent);
                out.push_str("in\n");
                out.push_str(indent);
                out.push_str(&self.write(body, indent, Place::Bare)?);
                if place == Place::Bare {
                    out
                } else {
                    format!("({out})")
                }
            }
            Template::List { items } => {
                let inner = format!("{indent}{}", self.naming.unit);
                let mut segments: Vec<String> = Vec::new();
                let mut run: Vec<String> = Vec::new();
                let mut any_list = false;
                for item in items {
                    match item {
                        Item::Elem(e) => run.push(self.write(e, &inner, Place::Elem)?),
                        Item::Seq(h) => {
                            if !run.is_empty() || !any_list {
                                if !run.is_empty() {
                                    segments.push(list_text(&run, indent, self.naming.unit));
                                }
                                run.clear();
                            }
                            any_list = true;
                            segments.push(self.name(*h));
                        }
                    }
                }
                if !run.is_empty() || segments.is_empty() {
                    segments.push(list_text(&run, indent, self.naming.unit));
                }
                let out = segments.join(" ++ ");
                if segments.len() > 1 && place != Place::Bare {
                    format!("({out})")
                } else {
                    out
                }
            }
        })
    }

    fn set(
        &self,
        rec: bool,
        entries: &[Entry],
        indent: &str,
        place: Place,
    ) -> Result<String, String> {
        let required: Vec<Entry> = entries
            .iter()
            .filter(|e| !matches!(e, Entry::Optional { .. }))
            .cloned()
            .collect();
        let optional: Vec<(Option<SyntaxNode>, usize)> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Optional { path, hole } => Some((path.clone(), *hole)),
                _ => None,
            })
            .collect();
        if rec && !optional.is_empty() {
            return Err("a `rec` set entry that some copies lack".into());
        }
        let inner = format!("{indent}{}", self.naming.unit);
        let mut out = String::new();
        if rec {
            out.push_str("rec ");
        }
        let lines = self.entry_lines(&required, &inner)?;
        if lines.is_empty() {
            out.push_str("{ }");
        } else if lines.len() == 1 && !lines[0].contains('\n') && lines[0].len() <= 40 {
            out.push_str(&format!("{{ {} }}", lines[0]));
        } else {
            out.push('{');
            for line in lines {
                out.push('\n');
                out.push_str(&inner);
                out.push_str(&line);
            }
            out.push('\n');
            out.push_str(indent);
            out.push('}');
        }
        for (path, hole) in &optional {
            let Some(path) = path else {
                return Err("an `inherit` that some copies lack".into());
            };
            let name = self.name(*hole);
            let key = path.text().to_string();
            let entry = if key == name {
                format!("inherit {name};")
            } else {
                format!("{key} = {name};")
            };
            out.push_str(&format!(
                "\n{inner}// (if {} ? {name} then {{ {entry} }} else {{ }})",
                self.naming.args
            ));
        }
        if !optional.is_empty() && place != Place::Bare {
            out = format!("({out})");
        }
        Ok(out)
    }

    /// The entries of a set or `let`, one per element, without indentation
    /// before their first line: `inherit` for `x = x;` (grouped), dotted
    /// paths for sets of one entry.
    fn entry_lines(&self, entries: &[Entry], inner: &str) -> Result<Vec<String>, String> {
        let mut lines: Vec<String> = Vec::new();
        let mut inherit_at: Option<usize> = None;
        let mut inherited: Vec<String> = Vec::new();
        for e in entries {
            match e {
                Entry::Bind { path, value } => {
                    let key = path.text().to_string();
                    if let Template::Same(v) = value {
                        let v = unparen(v.clone());
                        if is_inherit(path, value) && static_attr_name(&v).is_some() {
                            inherited.push(key);
                            if inherit_at.is_none() {
                                inherit_at = Some(lines.len());
                                lines.push(String::new());
                            }
                            continue;
                        }
                    }
                    let (key, value) = collapse(key, value);
                    lines.push(format!(
                        "{key} = {};",
                        self.write(&value, inner, Place::Bare)?
                    ));
                }
                Entry::Inherit(node) => lines.push(node_text(node, inner)),
                Entry::Optional { .. } => return Err("an optional entry here".into()),
            }
        }
        if let Some(at) = inherit_at {
            lines[at] = format!("inherit {};", inherited.join(" "));
        }
        Ok(lines)
    }
}

/// A shared plain attribute set (without comments inside, which only
/// its text would keep) as a set template, so that it is written like the
/// rest (dotted paths, `inherit`).
fn as_set(node: &SyntaxNode) -> Option<Template> {
    let set = unparen(node.clone());
    if !crate::syntax::is_plain_set(&set)
        || set
            .descendants_with_tokens()
            .any(|e| e.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        return None;
    }
    let mut entries = Vec::new();
    for child in set.children() {
        match child.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                let path = child
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
                let value = crate::syntax::attr_value(&child)?;
                entries.push(Entry::Bind {
                    path,
                    value: Template::Same(value),
                });
            }
            SyntaxKind::NODE_INHERIT => entries.push(Entry::Inherit(child)),
            _ => return None,
        }
    }
    Some(Template::Set {
        rec: false,
        entries,
    })
}

/// `a = { b = v; }` as `a.b = v` (through sets of one entry).
fn collapse(mut key: String, value: &Template) -> (String, Template) {
    let mut value = value.clone();
    loop {
        if let Template::Same(node) = &value {
            match as_set(node) {
                Some(set) => value = set,
                None => break,
            }
        }
        let Template::Set {
            rec: false,
            entries,
        } = &value
        else {
            break;
        };
        match entries.as_slice() {
            [Entry::Bind { path, value: inner }] if !is_inherit(path, inner) => {
                key = format!("{key}.{}", path.text());
                value = inner.clone();
            }
            _ => break,
        }
    }
    (key, value)
}

/// Whether `path = value` is `x = x` (written `inherit x;`).
fn is_inherit(path: &SyntaxNode, value: &Template) -> bool {
    match value {
        Template::Same(v) => {
            let v = unparen(v.clone());
            v.kind() == SyntaxKind::NODE_IDENT && v.text() == path.text().to_string().as_str()
        }
        _ => false,
    }
}

fn atomic_template(t: &Template) -> bool {
    match t {
        Template::Same(n) => atomic(n, Place::Elem),
        Template::Hole(_) | Template::Set { .. } => true,
        Template::List { items } => items.iter().all(|i| matches!(i, Item::Elem(_))),
        Template::Node { node, .. } => atomic(node, Place::Elem),
        Template::Let { .. } => false,
    }
}

/// Whether `g`'s holes are all of these kinds' (helper for callers).
pub fn has_optional(g: &Generalisation) -> bool {
    g.holes.iter().any(|h| h.kind == HoleKind::Optional)
}

/// The body of a function `head: body` (its text `function`) applied to
/// an argument set, reduced: references to the formals replaced by the
/// argument texts (parenthesised), `if <args> ? x then A else B` decided,
/// then `//` of literal sets and `++` of literal lists done. `None` when
/// the text does not have that shape.
pub fn reduce(function: &str, args_name: &str, args: &[(String, String)]) -> Option<String> {
    let parsed = rnix::Root::parse(function);
    if !parsed.errors().is_empty() {
        return None;
    }
    let root = parsed.syntax();
    let lambda = unparen(root.first_child()?);
    if lambda.kind() != SyntaxKind::NODE_LAMBDA {
        return None;
    }
    let body = lambda.children().last()?;
    let scope = ScopeIndex::build(&root);
    let mut edits = crate::syntax::edit::EditSet::new();
    let lookup = |name: &str| args.iter().find(|(n, _)| n == name).map(|(_, t)| t);
    for r in &scope.refs {
        if !body.text_range().contains_range(r.range) {
            continue;
        }
        let Some(b) = r.binder else { continue };
        let binder = &scope.binders[b];
        if binder.scope != lambda {
            continue;
        }
        if binder.name == args_name {
            continue;
        }
        // `inherit a b;`: rewritten as a whole below.
        if r_in_inherit(&root, r.range) {
            continue;
        }
        // A formal not passed reads its default.
        let default = binder
            .entries
            .first()
            .and_then(|e| e.children().nth(1))
            .map(|d| d.text().to_string());
        let text = match (lookup(&binder.name).cloned(), default) {
            (Some(t), _) | (None, Some(t)) => format!("({t})"),
            (None, None) => return None,
        };
        edits
            .add(crate::syntax::edit::Edit::replace(r.range, text))
            .ok()?;
    }
    // `inherit a b;` where some names are formals: `a = (text); inherit b;`.
    for inherit in body
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_INHERIT)
    {
        if inherit
            .children()
            .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
        {
            continue;
        }
        let mut kept: Vec<String> = Vec::new();
        let mut bound: Vec<String> = Vec::new();
        for attr in inherit.children() {
            let name = attr.text().to_string();
            let is_formal = scope
                .reference_at(attr.text_range())
                .and_then(|r| r.binder)
                .is_some_and(|b| scope.binders[b].scope == lambda && name != args_name);
            if !is_formal {
                kept.push(name);
                continue;
            }
            let default = scope
                .reference_at(attr.text_range())
                .and_then(|r| r.binder)
                .and_then(|b| scope.binders[b].entries.first().cloned())
                .and_then(|e| e.children().nth(1))
                .map(|d| d.text().to_string());
            match (lookup(&name).cloned(), default) {
                (Some(t), _) | (None, Some(t)) => bound.push(format!("{name} = ({t});")),
                (None, None) => return None,
            }
        }
        if bound.is_empty() {
            continue;
        }
        let mut text = bound.join(" ");
        if !kept.is_empty() {
            text.push_str(&format!(" inherit {};", kept.join(" ")));
        }
        edits
            .add(crate::syntax::edit::Edit::replace(
                inherit.text_range(),
                text,
            ))
            .ok()?;
    }
    // `if args ? x then A else B`: decided.
    for node in body.descendants() {
        if node.kind() != SyntaxKind::NODE_IF_ELSE {
            continue;
        }
        let parts: Vec<SyntaxNode> = node.children().collect();
        let [cond, then, other] = parts.as_slice() else {
            continue;
        };
        let cond = unparen(cond.clone());
        if cond.kind() != SyntaxKind::NODE_HAS_ATTR {
            continue;
        }
        let mut c = cond.children();
        let (Some(subject), Some(path)) = (c.next(), c.next()) else {
            continue;
        };
        if unparen(subject).text() != args_name {
            continue;
        }
        let Some(name) = path.first_child().and_then(|a| static_attr_name(&a)) else {
            continue;
        };
        let chosen = if lookup(&name).is_some() { then } else { other };
        // The chosen branch with its own references replaced.
        let inner = edits.apply_within(&root.text().to_string(), 0.into(), chosen.text_range());
        let mut fresh = crate::syntax::edit::EditSet::new();
        for e in edits.edits() {
            if !node.text_range().contains_range(e.range) {
                fresh.add(e.clone()).ok()?;
            }
        }
        fresh
            .add(crate::syntax::edit::Edit::replace(
                node.text_range(),
                format!("({inner})"),
            ))
            .ok()?;
        edits = fresh;
    }
    let text = edits.apply_within(&root.text().to_string(), 0.into(), body.text_range());
    simplify(&text)
}

fn r_in_inherit(root: &SyntaxNode, range: TextRange) -> bool {
    crate::syntax::covering_node(root, range)
        .ancestors()
        .take(2)
        .any(|n| n.kind() == SyntaxKind::NODE_INHERIT)
}

/// `//` of literal sets and `++` of literal lists done, recursively, as
/// text (keys defined on both sides of a `//` are refused: `None`).
fn simplify(text: &str) -> Option<String> {
    let parsed = rnix::Root::parse(text);
    if !parsed.errors().is_empty() {
        return None;
    }
    let root = parsed.syntax();
    let mut out = String::new();
    simplify_node(&root.first_child()?, &mut out)?;
    Some(out)
}

fn simplify_node(node: &SyntaxNode, out: &mut String) -> Option<()> {
    let n = unparen(node.clone());
    if n.kind() == SyntaxKind::NODE_BIN_OP {
        let op = n
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|t| {
                matches!(
                    t.kind(),
                    SyntaxKind::TOKEN_UPDATE | SyntaxKind::TOKEN_CONCAT
                )
            });
        if let Some(op) = op {
            let mut sides = n.children();
            let (l, r) = (sides.next()?, sides.next()?);
            let (mut lt, mut rt) = (String::new(), String::new());
            simplify_node(&l, &mut lt)?;
            simplify_node(&r, &mut rt)?;
            let (lp, rp) = (
                rnix::Root::parse(&lt).syntax(),
                rnix::Root::parse(&rt).syntax(),
            );
            let (le, re) = (unparen(lp.first_child()?), unparen(rp.first_child()?));
            let inner = |x: &SyntaxNode| -> Option<String> {
                let t = x.text().to_string();
                let t = t.trim();
                Some(t.get(1..t.len().checked_sub(1)?)?.to_string())
            };
            match op.kind() {
                SyntaxKind::TOKEN_UPDATE
                    if crate::syntax::is_plain_set(&le) && crate::syntax::is_plain_set(&re) =>
                {
                    let keys = |s: &SyntaxNode| -> Vec<String> {
                        s.children()
                            .filter_map(|e| {
                                if e.kind() == SyntaxKind::NODE_INHERIT {
                                    return Some(
                                        e.children()
                                            .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                                            .map(|c| c.text().to_string())
                                            .collect::<Vec<_>>()
                                            .join(" "),
                                    );
                                }
                                let p = e
                                    .children()
                                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
                                p.first_child().and_then(|a| static_attr_name(&a))
                            })
                            .collect()
                    };
                    let lk = keys(&le);
                    if keys(&re).iter().any(|k| lk.contains(k)) {
                        return None;
                    }
                    out.push_str(&format!("{{ {}\n {} }}", inner(&le)?, inner(&re)?));
                    return Some(());
                }
                SyntaxKind::TOKEN_CONCAT
                    if le.kind() == SyntaxKind::NODE_LIST && re.kind() == SyntaxKind::NODE_LIST =>
                {
                    out.push_str(&format!("[ {}\n {} ]", inner(&le)?, inner(&re)?));
                    return Some(());
                }
                _ => {
                    out.push_str(&format!("({lt}) {} ({rt})", op.text()));
                    return Some(());
                }
            }
        }
    }
    // Rebuild with simplified children where they are expressions.
    let mut at = n.text_range().start();
    let full = n.text().to_string();
    let base = n.text_range().start();
    for child in n.children() {
        let r = child.text_range();
        out.push_str(&full[usize::from(at - base)..usize::from(r.start() - base)]);
        let mut piece = String::new();
        simplify_node(&child, &mut piece)?;
        let wrap = unparen(child.clone()).kind() == SyntaxKind::NODE_BIN_OP
            && !piece.starts_with(['{', '[']);
        if wrap {
            out.push('(');
        }
        out.push_str(&piece);
        if wrap {
            out.push(')');
        }
        at = r.end();
    }
    out.push_str(&full[usize::from(at - base)..]);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_decides_optionals_and_concatenations() {
        let f = "{ a, b ? null, more ? [ ] }@args: { x = a; l = [ 1 ] ++ more; } // (if args ? b then { inherit b; } else { })";
        let r = reduce(f, "args", &[("a".into(), "1 + 1".into())]).unwrap();
        let want = rnix::Root::parse("{ x = 1 + 1; l = [ 1 ]; }").syntax();
        assert!(
            crate::unify::equal_modulo_trivia(&rnix::Root::parse(&r).syntax(), &want),
            "{r}"
        );
        let r = reduce(
            f,
            "args",
            &[
                ("a".into(), "2".into()),
                ("b".into(), "\"x\"".into()),
                ("more".into(), "[ 2 3 ]".into()),
            ],
        )
        .unwrap();
        let want = rnix::Root::parse("{ x = 2; l = [ 1 2 3 ]; b = \"x\"; }").syntax();
        let got = rnix::Root::parse(&r).syntax();
        let canon = |n: &SyntaxNode| crate::unify::canon::canonical_set(&n.first_child().unwrap());
        assert!(
            crate::unify::equal_modulo_trivia(
                &canon(&got).unwrap().root,
                &canon(&want).unwrap().root
            ),
            "{r}"
        );
    }
}
