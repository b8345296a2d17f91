//! Instantiation: the text of a template with its holes filled.

use rnix::{SyntaxKind, SyntaxNode};

use super::{Binding, Entry, Item, Template};

/// Where an expression is written, for parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The value of an entry, a `let` body, the whole text: anything goes.
    Bare,
    /// A list element: atoms and selections without `or`.
    Elem,
    /// An operand: atoms only.
    Tight,
}

/// The Nix text of `template` with each hole replaced by its binding in
/// `bindings` (indexed like [`super::Generalisation::holes`]): sequence
/// holes spliced into their lists, optional entries written only when
/// bound. Expressions are parenthesised where their new place needs it. A
/// missing or mismatched binding is written as `null` (or nothing in a
/// list), never a panic.
pub fn instantiate(template: &Template, bindings: &[Binding]) -> String {
    let mut out = String::new();
    write(template, bindings, Place::Bare, &mut out);
    out
}

fn atomic(node: &SyntaxNode, place: Place) -> bool {
    use SyntaxKind::*;
    match node.kind() {
        NODE_IDENT | NODE_LITERAL | NODE_STRING | NODE_LIST | NODE_ATTR_SET | NODE_PAREN => true,
        NODE_PATH_ABS | NODE_PATH_HOME | NODE_PATH_REL | NODE_PATH_SEARCH => place != Place::Tight,
        NODE_SELECT => {
            place == Place::Elem && !node.children_with_tokens().any(|t| t.kind() == TOKEN_OR)
        }
        _ => place == Place::Bare,
    }
}

/// The text of `node`, with a line break after a comment that ends it (so
/// that what follows is not commented out).
fn text_of(node: &SyntaxNode) -> String {
    let mut text = node.text().to_string();
    if node
        .last_token()
        .is_some_and(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        text.push('\n');
    }
    text
}

fn write_node(node: &SyntaxNode, place: Place, out: &mut String) {
    if atomic(node, place) {
        out.push_str(&text_of(node));
    } else {
        out.push('(');
        out.push_str(&text_of(node));
        out.push(')');
    }
}

fn write(t: &Template, b: &[Binding], place: Place, out: &mut String) {
    match t {
        Template::Same(node) => write_node(node, place, out),
        Template::Hole(h) => match b.get(*h) {
            Some(Binding::Expr(node)) => write_node(node, place, out),
            _ => out.push_str("null"),
        },
        Template::Node { node, children } => {
            let own = node.text_range().start();
            let text = text_of(node);
            let mut body = String::new();
            let mut at = 0usize;
            for (range, child) in children {
                let lo = usize::from(range.start() - own);
                let hi = usize::from(range.end() - own);
                if lo < at || hi > text.len() {
                    continue;
                }
                body.push_str(&text[at..lo]);
                let mut piece = String::new();
                write(child, b, Place::Tight, &mut piece);
                // Keep tokens apart from their neighbours.
                if text[..lo]
                    .chars()
                    .next_back()
                    .is_some_and(|c| !c.is_whitespace())
                {
                    body.push(' ');
                }
                body.push_str(&piece);
                if text[hi..]
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_whitespace())
                {
                    body.push(' ');
                }
                at = hi;
            }
            body.push_str(&text[at..]);
            let needs_parens = !atomic(node, place);
            if needs_parens {
                out.push('(');
            }
            out.push_str(&body);
            if needs_parens {
                out.push(')');
            }
        }
        Template::Set { rec, entries } => {
            out.push_str(if *rec { "rec {" } else { "{" });
            write_entries(entries, b, out);
            out.push_str("\n}");
        }
        Template::Let { entries, body } => {
            if place != Place::Bare {
                out.push('(');
            }
            out.push_str("let");
            write_entries(entries, b, out);
            out.push_str("\nin\n");
            write(body, b, Place::Bare, out);
            if place != Place::Bare {
                out.push(')');
            }
        }
        Template::List { items } => {
            out.push('[');
            for item in items {
                match item {
                    Item::Elem(e) => {
                        out.push('\n');
                        write(e, b, Place::Elem, out);
                    }
                    Item::Seq(h) => {
                        if let Some(Binding::Seq(elems)) = b.get(*h) {
                            for e in elems {
                                out.push('\n');
                                write_node(e, Place::Elem, out);
                            }
                        }
                    }
                }
            }
            out.push_str("\n]");
        }
    }
}

fn write_entries(entries: &[Entry], b: &[Binding], out: &mut String) {
    for entry in entries {
        match entry {
            Entry::Bind { path, value } => {
                out.push('\n');
                out.push_str(&text_of(path));
                out.push_str(" = ");
                write(value, b, Place::Bare, out);
                out.push(';');
            }
            Entry::Inherit(node) => {
                out.push('\n');
                out.push_str(&text_of(node));
            }
            Entry::Optional { path, hole } => {
                if let Some(Binding::Expr(node)) = b.get(*hole) {
                    out.push('\n');
                    match path {
                        Some(path) => {
                            out.push_str(&text_of(path));
                            out.push_str(" = ");
                            out.push_str(&text_of(node));
                            out.push(';');
                        }
                        None => out.push_str(&text_of(node)),
                    }
                }
            }
        }
    }
}
