//! Structural equality of expressions, trivia and parentheses aside.

use rnix::{NodeOrToken, SyntaxKind, SyntaxNode};

use crate::syntax::{static_attr_name, unparen};

/// Whether `a` and `b` are the same expression once whitespace, comments
/// and parentheses are left out (the tree already says how an expression
/// groups). Attribute names compare by value (`"a"` is `a`), plain strings
/// without interpolation by value, and the entries of attribute sets and
/// `let` blocks as sets: their order means nothing in Nix. A `NODE_ROOT`
/// stands for its expression.
pub fn equal_modulo_trivia(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    eq(&expr_of(a), &expr_of(b))
}

/// The expression a node stands for: the child of a `NODE_ROOT`.
pub(crate) fn expr_of(node: &SyntaxNode) -> SyntaxNode {
    if node.kind() == SyntaxKind::NODE_ROOT {
        if let Some(child) = node.first_child() {
            return child;
        }
    }
    node.clone()
}

/// The significant children of `node` (tokens other than trivia, and nodes).
pub(crate) fn significant(node: &SyntaxNode) -> Vec<rnix::SyntaxElement> {
    node.children_with_tokens()
        .filter(|e| !is_trivia(e.kind()))
        .collect()
}

pub(crate) fn is_trivia(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
    )
}

pub(crate) fn eq(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let (a, b) = (unparen(a.clone()), unparen(b.clone()));
    if a.kind() != b.kind() {
        return false;
    }
    match a.kind() {
        SyntaxKind::NODE_ATTR_SET => is_rec(&a) == is_rec(&b) && eq_entries(&a, &b),
        SyntaxKind::NODE_LET_IN => {
            eq_entries(&a, &b)
                && match (let_body(&a), let_body(&b)) {
                    (Some(x), Some(y)) => eq(&x, &y),
                    (None, None) => true,
                    _ => false,
                }
        }
        SyntaxKind::NODE_ATTRPATH => eq_attrpath(&a, &b),
        SyntaxKind::NODE_STRING => eq_string(&a, &b),
        SyntaxKind::NODE_INHERIT => eq_inherit(&a, &b),
        _ => eq_generic(&a, &b),
    }
}

fn eq_generic(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let (xs, ys) = (significant(a), significant(b));
    xs.len() == ys.len()
        && xs.iter().zip(&ys).all(|pair| match pair {
            (NodeOrToken::Token(x), NodeOrToken::Token(y)) => {
                x.kind() == y.kind() && x.text() == y.text()
            }
            (NodeOrToken::Node(x), NodeOrToken::Node(y)) => eq(x, y),
            _ => false,
        })
}

pub(crate) fn is_rec(set: &SyntaxNode) -> bool {
    set.children_with_tokens()
        .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
}

/// The entries of a set or `let`: `NODE_ATTRPATH_VALUE` and `NODE_INHERIT`.
pub(crate) fn entries(set: &SyntaxNode) -> Vec<SyntaxNode> {
    set.children()
        .filter(|c| {
            matches!(
                c.kind(),
                SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
            )
        })
        .collect()
}

/// The body of a `let ... in body`.
pub(crate) fn let_body(node: &SyntaxNode) -> Option<SyntaxNode> {
    node.children()
        .filter(|c| {
            !matches!(
                c.kind(),
                SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
            )
        })
        .last()
}

/// Entries compared as a multiset: each entry of `a` takes one equal entry
/// of `b` (equality is an equivalence, so the greedy choice is exact).
fn eq_entries(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let (xs, ys) = (entries(a), entries(b));
    if xs.len() != ys.len() {
        return false;
    }
    let mut used = vec![false; ys.len()];
    xs.iter().all(|x| {
        let found = ys
            .iter()
            .enumerate()
            .position(|(j, y)| !used[j] && eq_entry(x, y));
        match found {
            Some(j) => {
                used[j] = true;
                true
            }
            None => false,
        }
    })
}

fn eq_entry(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    if a.kind() != b.kind() {
        return false;
    }
    if a.kind() == SyntaxKind::NODE_INHERIT {
        return eq_inherit(a, b);
    }
    let path = |n: &SyntaxNode| n.children().find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH);
    let value = crate::syntax::attr_value;
    match ((path(a), value(a)), (path(b), value(b))) {
        ((Some(pa), Some(va)), (Some(pb), Some(vb))) => eq_attrpath(&pa, &pb) && eq(&va, &vb),
        _ => eq_generic(a, b),
    }
}

fn eq_attrpath(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let (xs, ys): (Vec<_>, Vec<_>) = (a.children().collect(), b.children().collect());
    xs.len() == ys.len() && xs.iter().zip(&ys).all(|(x, y)| eq_attr_name(x, y))
}

fn eq_attr_name(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    match (static_attr_name(a), static_attr_name(b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.kind() == b.kind() && eq_generic(a, b),
        _ => false,
    }
}

/// `inherit (from) names;`: the same source and the same set of names.
fn eq_inherit(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let from = |n: &SyntaxNode| {
        n.children()
            .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
    };
    let same_from = match (from(a), from(b)) {
        (None, None) => true,
        (Some(x), Some(y)) => eq_generic(&x, &y),
        _ => false,
    };
    same_from
        && match (inherit_names(a), inherit_names(b)) {
            (Some(x), Some(y)) => x == y,
            _ => eq_generic(a, b),
        }
}

/// The names an `inherit` brings, sorted (`None` for a dynamic one).
pub(crate) fn inherit_names(node: &SyntaxNode) -> Option<Vec<String>> {
    let mut names = node
        .children()
        .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
        .map(|c| static_attr_name(&c))
        .collect::<Option<Vec<_>>>()?;
    names.sort();
    Some(names)
}

/// Plain strings without interpolation by value; others part by part.
fn eq_string(a: &SyntaxNode, b: &SyntaxNode) -> bool {
    let plain = |n: &SyntaxNode| {
        n.first_token()
            .is_some_and(|t| t.text() == "\"")
            .then(|| static_attr_name(n))
            .flatten()
    };
    if let (Some(x), Some(y)) = (plain(a), plain(b)) {
        return x == y;
    }
    eq_generic(a, b)
}

/// A text that is equal for equal entries keys: significant tokens joined
/// by spaces, attribute names by value.
pub(crate) fn canon_text(node: &SyntaxNode) -> String {
    let mut out = String::new();
    for t in node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !is_trivia(t.kind()))
    {
        out.push_str(t.text());
        out.push(' ');
    }
    out
}
