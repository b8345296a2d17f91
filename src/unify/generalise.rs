//! Anti-unification: the template and the bindings of n inputs.

use rnix::{NodeOrToken, SyntaxKind, SyntaxNode, TextRange};

use super::eq::{canon_text, entries, eq, expr_of, inherit_names, is_rec, let_body, significant};
use super::{Binding, Capture, Entry, Generalisation, Hole, HoleKind, Item, SeqAt, Step, Template};
use crate::scope::{is_builtin, ScopeIndex};
use crate::syntax::{attr_value, static_attr_name, unparen};

/// Past this product of two list lengths, lists are aligned by their
/// common prefix and suffix only, not by a longest common subsequence.
pub const LCS_LIMIT: usize = 250_000;

/// Anti-unify two expressions (see the module documentation).
pub fn generalise(a: &SyntaxNode, b: &SyntaxNode) -> Generalisation {
    generalise_n(vec![a.clone(), b.clone()])
}

/// Anti-unify any number of expressions; `None` for none. One input gives
/// a template without holes.
pub fn generalise_all(inputs: &[SyntaxNode]) -> Option<Generalisation> {
    (!inputs.is_empty()).then(|| generalise_n(inputs.to_vec()))
}

fn generalise_n(inputs: Vec<SyntaxNode>) -> Generalisation {
    let nodes: Vec<SyntaxNode> = inputs.iter().map(expr_of).collect();
    let mut roots: Vec<SyntaxNode> = Vec::new();
    let mut scopes: Vec<ScopeIndex> = Vec::new();
    let mut scope_of = Vec::with_capacity(nodes.len());
    for n in &nodes {
        let root = n.ancestors().last().unwrap_or_else(|| n.clone());
        let at = match roots.iter().position(|r| *r == root) {
            Some(at) => at,
            None => {
                scopes.push(ScopeIndex::build(&root));
                roots.push(root);
                roots.len() - 1
            }
        };
        scope_of.push(at);
    }
    let mut g = Gen {
        n: nodes.len(),
        scopes,
        scope_of,
        frames: Vec::new(),
        holes: Vec::new(),
        captures: Vec::new(),
    };
    let mut path = Vec::new();
    let template = match g.gen(&nodes, &mut path) {
        Ok(t) => t,
        // Only frames on the stack can be named, and the root has none
        // above it; a hole over everything is the safe answer anyway.
        Err(_) => {
            g.holes.clear();
            let binds = nodes.iter().cloned().map(Binding::Expr).collect();
            Template::Hole(g.push_hole(HoleKind::Value, Vec::new(), binds))
        }
    };
    let names = name_holes(&g.holes);
    let mut bindings = vec![Vec::with_capacity(g.holes.len()); g.n];
    let mut holes = Vec::with_capacity(g.holes.len());
    for (draft, name) in g.holes.into_iter().zip(names) {
        for (i, b) in draft.binds.into_iter().enumerate() {
            bindings[i].push(b);
        }
        holes.push(Hole {
            name,
            kind: draft.kind,
            path: draft.path,
        });
    }
    Generalisation {
        template,
        holes,
        bindings,
        captures: g.captures,
        inputs,
    }
}

struct Draft {
    kind: HoleKind,
    path: Vec<Step>,
    binds: Vec<Binding>,
}

/// A hole at this depth of the frame stack read a name bound by the frame:
/// the frame's node becomes the hole.
struct Widen {
    frame: usize,
    capture: Capture,
}

struct Gen {
    n: usize,
    scopes: Vec<ScopeIndex>,
    /// Input i's scope index: `scopes[scope_of[i]]`.
    scope_of: Vec<usize>,
    /// The common nodes enclosing the current place, one per input.
    frames: Vec<Vec<SyntaxNode>>,
    holes: Vec<Draft>,
    captures: Vec<Capture>,
}

/// Expression kinds; other nodes (attribute paths, patterns, `inherit`s)
/// are never holes.
fn is_expr(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        NODE_APPLY
            | NODE_ASSERT
            | NODE_ATTR_SET
            | NODE_BIN_OP
            | NODE_HAS_ATTR
            | NODE_IDENT
            | NODE_IF_ELSE
            | NODE_LAMBDA
            | NODE_LEGACY_LET
            | NODE_LET_IN
            | NODE_LIST
            | NODE_LITERAL
            | NODE_PAREN
            | NODE_PATH_ABS
            | NODE_PATH_HOME
            | NODE_PATH_REL
            | NODE_PATH_SEARCH
            | NODE_SELECT
            | NODE_STRING
            | NODE_UNARY_OP
            | NODE_WITH
            | NODE_CUR_POS
    )
}

/// Kinds never split: their parts are not expressions a parameter could
/// stand for.
fn is_leaf(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        NODE_IDENT
            | NODE_LITERAL
            | NODE_STRING
            | NODE_PATH_ABS
            | NODE_PATH_HOME
            | NODE_PATH_REL
            | NODE_PATH_SEARCH
            | NODE_LEGACY_LET
            | NODE_CUR_POS
            | NODE_ERROR
    )
}

impl Gen {
    fn gen(&mut self, nodes: &[SyntaxNode], path: &mut Vec<Step>) -> Result<Template, Widen> {
        if nodes[1..].iter().all(|n| eq(&nodes[0], n)) {
            return Ok(Template::Same(nodes[0].clone()));
        }
        let inner: Vec<SyntaxNode> = nodes.iter().cloned().map(unparen).collect();
        let kind = inner[0].kind();
        if !inner.iter().all(|n| n.kind() == kind) || is_leaf(kind) || !is_expr(kind) {
            return self.value_hole(nodes, path);
        }
        let depth = self.frames.len();
        let mark = self.holes.len();
        self.frames.push(inner.clone());
        let result = match kind {
            SyntaxKind::NODE_ATTR_SET => {
                let rec = is_rec(&inner[0]);
                if inner.iter().all(|n| is_rec(n) == rec) {
                    self.entries(&inner, path)
                        .map(|e| e.map(|entries| Template::Set { rec, entries }))
                } else {
                    Ok(None)
                }
            }
            SyntaxKind::NODE_LET_IN => self.let_in(&inner, path),
            SyntaxKind::NODE_LIST => self.list(&inner, path).map(Some),
            _ => self.generic(&inner, path),
        };
        self.frames.pop();
        match result {
            Ok(Some(t)) => Ok(t),
            Ok(None) => {
                self.holes.truncate(mark);
                self.value_hole(nodes, path)
            }
            Err(w) if w.frame == depth => {
                self.holes.truncate(mark);
                self.captures.push(w.capture);
                self.value_hole(nodes, path)
            }
            Err(w) => Err(w),
        }
    }

    /// A hole for `nodes` (one per input), unless it reads a name bound by
    /// an enclosing frame.
    fn value_hole(&mut self, nodes: &[SyntaxNode], path: &[Step]) -> Result<Template, Widen> {
        for (i, n) in nodes.iter().enumerate() {
            self.check_capture(i, n.text_range())?;
        }
        let binds = nodes.iter().cloned().map(Binding::Expr).collect();
        Ok(Template::Hole(self.push_hole(
            HoleKind::Value,
            path.to_vec(),
            binds,
        )))
    }

    fn push_hole(&mut self, kind: HoleKind, path: Vec<Step>, binds: Vec<Binding>) -> usize {
        self.holes.push(Draft { kind, path, binds });
        self.holes.len() - 1
    }

    /// `Err` with the outermost frame binding a name that the code of input
    /// `i` at `range` reads from outside it.
    fn check_capture(&self, i: usize, range: TextRange) -> Result<(), Widen> {
        let scope = &self.scopes[self.scope_of[i]];
        let frame_of = |node: &SyntaxNode| self.frames.iter().position(|f| f[i] == *node);
        let mut worst: Option<Widen> = None;
        for r in scope.free_in(range) {
            let frame = match r.binder {
                Some(b) => frame_of(&scope.binders[b].scope),
                None if is_builtin(&r.name) => None,
                None => r.withs.iter().rev().find_map(&frame_of),
            };
            if let Some(frame) = frame {
                if worst.as_ref().is_none_or(|w| frame < w.frame) {
                    worst = Some(Widen {
                        frame,
                        capture: Capture {
                            name: r.name.clone(),
                            input: i,
                            reference: r.range,
                            binder: self.frames[frame][i].text_range(),
                        },
                    });
                }
            }
        }
        worst.map_or(Ok(()), Err)
    }

    /// Split a node child by child when every input has the same skeleton;
    /// `None` when they do not.
    fn generic(
        &mut self,
        nodes: &[SyntaxNode],
        path: &mut Vec<Step>,
    ) -> Result<Option<Template>, Widen> {
        let parts: Vec<Vec<rnix::SyntaxElement>> = nodes.iter().map(significant).collect();
        let len = parts[0].len();
        if parts.iter().any(|p| p.len() != len) {
            return Ok(None);
        }
        let mut children = Vec::new();
        for k in 0..len {
            match &parts[0][k] {
                NodeOrToken::Token(t0) => {
                    let same = parts.iter().all(|p| match &p[k] {
                        NodeOrToken::Token(t) => t.kind() == t0.kind() && t.text() == t0.text(),
                        NodeOrToken::Node(_) => false,
                    });
                    if !same {
                        return Ok(None);
                    }
                }
                NodeOrToken::Node(n0) => {
                    let column: Option<Vec<SyntaxNode>> =
                        parts.iter().map(|p| p[k].as_node().cloned()).collect();
                    let Some(column) = column else {
                        return Ok(None);
                    };
                    if !is_expr(n0.kind()) || column.iter().any(|c| !is_expr(c.kind())) {
                        if column[1..].iter().all(|c| eq(&column[0], c)) {
                            continue;
                        }
                        return Ok(None);
                    }
                    path.push(Step::Child(k));
                    let t = self.gen(&column, path);
                    path.pop();
                    let t = t?;
                    if !matches!(t, Template::Same(_)) {
                        children.push((n0.text_range(), t));
                    }
                }
            }
        }
        Ok(Some(Template::Node {
            node: nodes[0].clone(),
            children,
        }))
    }

    fn let_in(
        &mut self,
        nodes: &[SyntaxNode],
        path: &mut Vec<Step>,
    ) -> Result<Option<Template>, Widen> {
        let bodies: Option<Vec<SyntaxNode>> = nodes.iter().map(let_body).collect();
        let Some(bodies) = bodies else {
            return Ok(None);
        };
        let Some(entries) = self.entries(nodes, path)? else {
            return Ok(None);
        };
        path.push(Step::Body);
        let body = self.gen(&bodies, path);
        path.pop();
        Ok(Some(Template::Let {
            entries,
            body: Box::new(body?),
        }))
    }

    /// Entries of sets or `let`s aligned by key.
    fn entries(
        &mut self,
        nodes: &[SyntaxNode],
        path: &mut Vec<Step>,
    ) -> Result<Option<Vec<Entry>>, Widen> {
        // Per input: (key, label, entry).
        let mut keyed: Vec<Vec<(String, String, SyntaxNode)>> = Vec::with_capacity(self.n);
        for node in nodes {
            let mut list: Vec<(String, String, SyntaxNode)> = Vec::new();
            for e in entries(node) {
                let Some((key, label)) = entry_key(&e) else {
                    return Ok(None);
                };
                let seen = list
                    .iter()
                    .filter(|(k, _, _)| k.starts_with(&key) && k[key.len()..].starts_with('#'))
                    .count();
                list.push((format!("{key}#{seen}"), label, e));
            }
            keyed.push(list);
        }
        // Keys in a merged order: each input's order, new keys after the
        // key that precedes them in their input.
        let mut order: Vec<(String, String)> = Vec::new();
        for list in &keyed {
            let mut after: Option<usize> = None;
            for (key, label, _) in list {
                match order.iter().position(|(k, _)| k == key) {
                    Some(at) => after = Some(at),
                    None => {
                        let at = after.map_or(0, |a| a + 1);
                        order.insert(at, (key.clone(), label.clone()));
                        after = Some(at);
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(order.len());
        for (key, label) in order {
            let column: Vec<Option<SyntaxNode>> = keyed
                .iter()
                .map(|list| {
                    list.iter()
                        .find(|(k, _, _)| *k == key)
                        .map(|(_, _, e)| e.clone())
                })
                .collect();
            let first = column.iter().flatten().next().cloned();
            let Some(first) = first else { continue };
            let is_inherit = first.kind() == SyntaxKind::NODE_INHERIT;
            let entry_path = first
                .children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH);
            path.push(Step::Attr(label));
            let result = if column.iter().all(Option::is_some) {
                let column: Vec<SyntaxNode> = column.into_iter().flatten().collect();
                if is_inherit {
                    Ok(Entry::Inherit(first))
                } else {
                    let values: Vec<SyntaxNode> = column.iter().filter_map(attr_value).collect();
                    match entry_path {
                        Some(p) if values.len() == column.len() => self
                            .gen(&values, path)
                            .map(|value| Entry::Bind { path: p, value }),
                        _ => {
                            path.pop();
                            return Ok(None);
                        }
                    }
                }
            } else {
                self.optional(&column, is_inherit, entry_path, path)
            };
            path.pop();
            match result? {
                Entry::Optional { path: None, .. } if !is_inherit => return Ok(None),
                e => out.push(e),
            }
        }
        Ok(Some(out))
    }

    fn optional(
        &mut self,
        column: &[Option<SyntaxNode>],
        is_inherit: bool,
        entry_path: Option<SyntaxNode>,
        path: &[Step],
    ) -> Result<Entry, Widen> {
        let mut binds = Vec::with_capacity(column.len());
        for (i, e) in column.iter().enumerate() {
            let bound = match e {
                None => None,
                Some(e) if is_inherit => Some(e.clone()),
                Some(e) => attr_value(e),
            };
            match bound {
                Some(node) => {
                    self.check_capture(i, node.text_range())?;
                    binds.push(Binding::Expr(node));
                }
                None => binds.push(Binding::Absent),
            }
        }
        let hole = self.push_hole(HoleKind::Optional, path.to_vec(), binds);
        Ok(Entry::Optional {
            path: if is_inherit { None } else { entry_path },
            hole,
        })
    }

    fn list(&mut self, nodes: &[SyntaxNode], path: &mut Vec<Step>) -> Result<Template, Widen> {
        let elems: Vec<Vec<SyntaxNode>> = nodes.iter().map(|n| n.children().collect()).collect();
        // The elements every input shares, in order, as indices into input 0.
        let mut backbone: Vec<usize> = (0..elems[0].len()).collect();
        for other in &elems[1..] {
            let base: Vec<SyntaxNode> = backbone.iter().map(|&k| elems[0][k].clone()).collect();
            let pairs = align(&base, other);
            backbone = pairs.iter().map(|&(b, _)| backbone[b]).collect();
        }
        let base: Vec<SyntaxNode> = backbone.iter().map(|&k| elems[0][k].clone()).collect();
        // Positions of the shared elements in each input.
        let mut anchors: Vec<Vec<usize>> = Vec::with_capacity(self.n);
        for list in &elems {
            let pairs = align(&base, list);
            if pairs.len() != base.len() {
                // Cannot happen (the backbone is common to all); stay safe.
                return self.value_hole(nodes, path);
            }
            anchors.push(pairs.into_iter().map(|(_, j)| j).collect());
        }
        let shared = base.len();
        let mut items = Vec::new();
        let mut elem_no = 0usize;
        for gap in 0..=shared {
            let runs: Vec<&[SyntaxNode]> = elems
                .iter()
                .zip(&anchors)
                .map(|(list, at)| {
                    let lo = if gap == 0 { 0 } else { at[gap - 1] + 1 };
                    let hi = if gap == shared { list.len() } else { at[gap] };
                    &list[lo..hi]
                })
                .collect();
            let len = runs[0].len();
            if runs.iter().all(|r| r.len() == len) {
                for k in 0..len {
                    let column: Vec<SyntaxNode> = runs.iter().map(|r| r[k].clone()).collect();
                    path.push(Step::Elem(elem_no));
                    let t = self.gen(&column, path);
                    path.pop();
                    items.push(Item::Elem(t?));
                    elem_no += 1;
                }
            } else {
                for (i, run) in runs.iter().enumerate() {
                    for e in run.iter() {
                        self.check_capture(i, e.text_range())?;
                    }
                }
                let at = if gap == shared {
                    SeqAt::Extra
                } else if gap == 0 {
                    SeqAt::Prepend
                } else {
                    SeqAt::Middle
                };
                let mut p = path.clone();
                p.push(Step::Gap(gap));
                let binds = runs.iter().map(|r| Binding::Seq(r.to_vec())).collect();
                let h = self.push_hole(HoleKind::Sequence(at), p, binds);
                items.push(Item::Seq(h));
            }
            if gap < shared {
                items.push(Item::Elem(Template::Same(base[gap].clone())));
                elem_no += 1;
            }
        }
        Ok(Template::List { items })
    }
}

/// The alignment key of an entry (equal for entries that define the same
/// attribute) and its label for paths and names.
fn entry_key(entry: &SyntaxNode) -> Option<(String, String)> {
    if entry.kind() == SyntaxKind::NODE_INHERIT {
        let from = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
            .map(|f| canon_text(&f))
            .unwrap_or_default();
        let names = inherit_names(entry)?;
        return Some((format!("i{from}|{}", names.join(" ")), "inherit".into()));
    }
    let path = entry
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
    let mut key = String::from("a");
    let mut label: Vec<String> = Vec::new();
    for attr in path.children() {
        match static_attr_name(&attr) {
            Some(name) => {
                key.push('s');
                key.push_str(&name.replace('\\', "\\\\").replace('\u{1}', "\\1"));
                label.push(name);
            }
            None => {
                key.push('d');
                key.push_str(&canon_text(&attr));
                label.push("dynamic".into());
            }
        }
        key.push('\u{1}');
    }
    Some((key, label.join(".")))
}

/// The pairs (index in `a`, index in `b`) of a longest common subsequence
/// of structurally equal elements; past [`LCS_LIMIT`], the common prefix
/// and suffix.
fn align(a: &[SyntaxNode], b: &[SyntaxNode]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > LCS_LIMIT {
        let mut pairs = Vec::new();
        let mut p = 0;
        while p < n && p < m && eq(&a[p], &b[p]) {
            pairs.push((p, p));
            p += 1;
        }
        let mut tail = Vec::new();
        let mut s = 0;
        while s < n - p && s < m - p && eq(&a[n - 1 - s], &b[m - 1 - s]) {
            tail.push((n - 1 - s, m - 1 - s));
            s += 1;
        }
        pairs.extend(tail.into_iter().rev());
        return pairs;
    }
    let same: Vec<Vec<bool>> = a
        .iter()
        .map(|x| b.iter().map(|y| eq(x, y)).collect())
        .collect();
    // table[i][j]: the LCS length of a[i..] and b[j..].
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if same[i][j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if same[i][j] && table[i][j] == table[i + 1][j + 1] + 1 {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "let", "in", "rec", "with", "inherit", "assert", "or",
];

/// A Nix identifier from an attribute label: its last part, camel-cased
/// when it is not an identifier already.
fn ident_from(label: &str) -> Option<String> {
    let last = label.rsplit('.').next()?;
    let mut out = String::new();
    let mut upper = false;
    for c in last.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if upper && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    let ok = out
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && !KEYWORDS.contains(&out.as_str())
        && last != "dynamic"
        && last != "inherit";
    ok.then_some(out)
}

fn name_holes(holes: &[Draft]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(holes.len());
    for (h, draft) in holes.iter().enumerate() {
        let base = match draft.kind {
            HoleKind::Sequence(at) => {
                // The key of the list: the attribute right before the gap.
                let n = draft.path.len();
                let key = match n.checked_sub(2).map(|k| &draft.path[k]) {
                    Some(Step::Attr(l)) => ident_from(l),
                    _ => None,
                };
                key.map(|k| {
                    let mut cap = k.clone();
                    if let Some(first) = cap.get_mut(0..1) {
                        first.make_ascii_uppercase();
                    }
                    match at {
                        SeqAt::Prepend => format!("prepend{cap}"),
                        SeqAt::Middle => format!("more{cap}"),
                        SeqAt::Extra => format!("extra{cap}"),
                    }
                })
            }
            // The nearest key above, through parts of one expression but
            // not through list elements.
            _ => draft
                .path
                .iter()
                .rev()
                .find(|s| !matches!(s, Step::Child(_) | Step::Body))
                .and_then(|s| match s {
                    Step::Attr(l) => ident_from(l),
                    _ => None,
                }),
        };
        let base = base.unwrap_or_else(|| format!("arg{}", h + 1));
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base}{k}");
            k += 1;
        }
        names.push(name);
    }
    names
}
