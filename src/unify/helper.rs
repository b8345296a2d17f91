//! Helpers and their call sites: matching a helper's body against code
//! written without it, and the beta-reduction that proves a call means the
//! code it replaces.
//!
//! - [`match_body`] walks a helper's body and an expression side by side
//!   (a host that bypasses the helper). A reference to one of the helper's
//!   formals matches any expression, consistently (the same formal always
//!   matches the same code): that is the argument the host would pass. A
//!   path or string with one interpolated formal (`./hosts/${name}.nix`)
//!   matches the literal it produces; `list ++ f` matches a list whose
//!   trailing elements go to `f`. Where the two differ, a [`Diff`] records
//!   the helper's and the expression's code: a value (`Diff::Value`) or a
//!   run of list elements between the elements they share
//!   (`Diff::Seq`, aligned by a longest common subsequence). A difference
//!   never reads a name bound inside either side: it widens to the binding
//!   construct instead (a helper parameter cannot see the helper's `let`).
//! - [`reduce`] is the beta-reduction of `lambda { args }` as text: each
//!   reference to a formal replaced by its argument (or its default, itself
//!   reduced), `inherit f;` written `f = arg;`, a string literal argument
//!   interpolated into a path or string written in place, and `++` of list
//!   literals folded. It refuses a substitution an inner binder would
//!   capture (a free name of the argument bound between the lambda and the
//!   reference, or any free name under an inner `with`).
//! - [`prove_call`] checks that a reduced call is structurally equal
//!   ([`super::equal_modulo_trivia`]) to the expression it replaces.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rnix::{NodeOrToken, SyntaxKind, SyntaxNode, TextRange};

use super::eq::significant;
use super::equal_modulo_trivia;
use crate::scope::{BinderKind, ScopeIndex};
use crate::syntax::{static_attr_name, unparen};

/// A place where a helper's body and an expression differ.
#[derive(Debug, Clone)]
pub enum Diff {
    /// The helper has `helper` where the expression has `other`.
    Value {
        helper: SyntaxNode,
        other: SyntaxNode,
    },
    /// The helper's attribute set `set` and the expression's have different
    /// keys: `only_helper` are the helper's keys the expression lacks, and
    /// `entries` every entry of the expression by key (the keys only it
    /// has are those the helper lacks).
    Attrs {
        set: SyntaxNode,
        only_helper: Vec<String>,
        entries: Vec<(String, SyntaxNode)>,
    },
    /// In the helper's list `list`, its elements `from..to` (possibly none:
    /// an insertion point) stand where the expression has `run`.
    Seq {
        list: SyntaxNode,
        from: usize,
        to: usize,
        run: Vec<SyntaxNode>,
    },
}

impl Diff {
    /// The helper's range this difference is about (for a sequence: the
    /// list, the elements and the insertion point tell them apart).
    pub fn key(&self) -> (TextRange, usize, usize) {
        match self {
            Diff::Value { helper, .. } => (helper.text_range(), usize::MAX, usize::MAX),
            Diff::Seq { list, from, to, .. } => (list.text_range(), *from, *to),
            Diff::Attrs { set, .. } => (set.text_range(), usize::MAX - 1, usize::MAX - 1),
        }
    }
}

/// The result of matching a helper's body against one expression.
#[derive(Debug, Clone, Default)]
pub struct BodyMatch {
    /// What each formal matched: the argument text the expression implies.
    pub args: BTreeMap<String, String>,
    pub diffs: Vec<Diff>,
    /// Helper node range -> the expression's node it was matched with.
    pub pairs: HashMap<TextRange, SyntaxNode>,
    /// The whole body differs (a difference read a name bound at the top).
    pub whole: bool,
    /// Some difference read a name bound inside the helper or the host and
    /// was widened to the construct binding it.
    pub captured: bool,
    /// A list of two or more elements shares none with the expression's
    /// (parameters aside): the expression is another kind of system.
    pub disjoint_list: bool,
    /// Formals bound to the trailing elements of a list (`[ ... ] ++
    /// extra`): those elements, so that the argument keeps their layout
    /// and comments.
    pub list_args: BTreeMap<String, Vec<SyntaxNode>>,
}

/// A difference read a name bound inside one side: widen it.
struct Widen;

struct Matcher<'a> {
    formals: &'a BTreeSet<String>,
    m: BodyMatch,
    /// Bound inside the helper / the expression, innermost last.
    hb: Vec<BTreeSet<String>>,
    xb: Vec<BTreeSet<String>>,
    budget: usize,
}

/// Match `body` (a helper's body, whose parameters are `formals`) against
/// `other`.
pub fn match_body(body: &SyntaxNode, formals: &BTreeSet<String>, other: &SyntaxNode) -> BodyMatch {
    let mut m = Matcher {
        formals,
        m: BodyMatch::default(),
        hb: Vec::new(),
        xb: Vec::new(),
        budget: 200_000,
    };
    if m.go(body, other).is_err() {
        m.m.whole = true;
    }
    m.m
}

/// Identifiers an expression reads (an over-approximation of its free
/// names: attribute names are left out, names it binds itself are not).
pub fn names_read(node: &SyntaxNode) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for n in std::iter::once(node.clone()).chain(node.descendants()) {
        if n.kind() == SyntaxKind::NODE_IDENT
            && n.parent()
                .is_none_or(|p| p.kind() != SyntaxKind::NODE_ATTRPATH)
        {
            out.insert(n.text().to_string());
        }
    }
    out
}

/// Names a construct binds for its children: lambda parameters, `let`
/// entries, `rec` attributes.
fn bound_by(node: &SyntaxNode) -> Option<BTreeSet<String>> {
    use SyntaxKind::*;
    let mut out = BTreeSet::new();
    match node.kind() {
        NODE_LAMBDA => {
            let param = node.first_child()?;
            for n in std::iter::once(param.clone()).chain(param.descendants()) {
                if n.kind() == NODE_IDENT
                    && n.parent().is_some_and(|p| {
                        matches!(p.kind(), NODE_IDENT_PARAM | NODE_PAT_ENTRY | NODE_PAT_BIND)
                    })
                    && n.parent().and_then(|p| p.first_child()).as_ref() == Some(&n)
                {
                    out.insert(n.text().to_string());
                }
            }
        }
        NODE_LET_IN | NODE_LEGACY_LET => entry_names(node, &mut out),
        NODE_ATTR_SET if is_rec(node) => entry_names(node, &mut out),
        NODE_WITH => {
            // Anything may come from a `with`: mark it.
            out.insert("\u{0}with".into());
        }
        _ => return None,
    }
    Some(out)
}

fn entry_names(node: &SyntaxNode, out: &mut BTreeSet<String>) {
    for c in node.children() {
        match c.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                if let Some(first) = c.first_child().and_then(|p| p.first_child()) {
                    match static_attr_name(&first) {
                        Some(n) => {
                            out.insert(n);
                        }
                        None => {
                            out.insert("\u{0}dynamic".into());
                        }
                    }
                }
            }
            SyntaxKind::NODE_INHERIT => {
                for a in c
                    .children()
                    .filter(|a| a.kind() != SyntaxKind::NODE_INHERIT_FROM)
                {
                    if let Some(n) = static_attr_name(&a) {
                        out.insert(n);
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_rec(node: &SyntaxNode) -> bool {
    node.children_with_tokens()
        .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
}

fn reads_bound(node: &SyntaxNode, bound: &[BTreeSet<String>]) -> bool {
    if bound.is_empty() {
        return false;
    }
    let reads = names_read(node);
    bound.iter().any(|b| {
        b.contains("\u{0}with") && !reads.is_empty() || b.iter().any(|n| reads.contains(n))
    })
}

fn parse_expr(text: &str) -> Option<SyntaxNode> {
    let root = rnix::Root::parse(text);
    if !root.errors().is_empty() {
        return None;
    }
    root.syntax().first_child()
}

fn same_text(a: &str, b: &str) -> bool {
    match (parse_expr(a), parse_expr(b)) {
        (Some(x), Some(y)) => equal_modulo_trivia(&x, &y),
        _ => false,
    }
}

/// The elements of a list node.
pub fn list_elems(list: &SyntaxNode) -> Vec<SyntaxNode> {
    list.children().collect()
}

impl Matcher<'_> {
    fn diff(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Result<(), Widen> {
        if reads_bound(h, &self.hb) || reads_bound(x, &self.xb) {
            self.m.captured = true;
            return Err(Widen);
        }
        self.m.diffs.push(Diff::Value {
            helper: h.clone(),
            other: x.clone(),
        });
        Ok(())
    }

    fn formal_ref(&self, h: &SyntaxNode) -> Option<String> {
        if h.kind() != SyntaxKind::NODE_IDENT {
            return None;
        }
        let name = h.text().to_string();
        (self.formals.contains(&name) && !self.hb.iter().any(|b| b.contains(&name))).then_some(name)
    }

    /// Bind formal `f` to `text` (from `x`), or check it is bound to it.
    fn bind(&mut self, f: &str, text: String, x: &SyntaxNode) -> bool {
        if reads_bound(x, &self.xb) {
            return false;
        }
        match self.m.args.get(f) {
            Some(old) => same_text(old, &text),
            None => {
                self.m.args.insert(f.to_string(), text);
                true
            }
        }
    }

    fn go(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Result<(), Widen> {
        let (h, x) = (unparen(h.clone()), unparen(x.clone()));
        self.m.pairs.insert(h.text_range(), x.clone());
        if self.budget == 0 {
            return self.diff(&h, &x);
        }
        self.budget -= 1;
        if let Some(f) = self.formal_ref(&h) {
            let text = x.text().to_string();
            if self.bind(&f, text, &x) {
                return Ok(());
            }
            return self.diff(&h, &x);
        }
        if let Some(r) = self.interpolated(&h, &x) {
            return if r { Ok(()) } else { self.diff(&h, &x) };
        }
        if let Some(r) = self.append_formal(&h, &x) {
            return r;
        }
        if h.kind() != x.kind() {
            return self.diff(&h, &x);
        }
        let mark = self.m.diffs.len();
        let mut binds = false;
        if let (Some(bh), Some(bx)) = (bound_by(&h), bound_by(&x)) {
            self.hb.push(bh);
            self.xb.push(bx);
            binds = true;
        }
        let r = match h.kind() {
            SyntaxKind::NODE_LIST => self.list(&h, &x, None).map(|_| ()),
            SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LET_IN => self.set(&h, &x),
            SyntaxKind::NODE_STRING
            | SyntaxKind::NODE_PATH_ABS
            | SyntaxKind::NODE_PATH_REL
            | SyntaxKind::NODE_PATH_HOME
            | SyntaxKind::NODE_PATH_SEARCH
            | SyntaxKind::NODE_LITERAL => {
                if equal_modulo_trivia(&h, &x) {
                    Ok(())
                } else {
                    Err(Widen)
                }
            }
            SyntaxKind::NODE_LAMBDA => {
                let same_param = match (h.first_child(), x.first_child()) {
                    (Some(a), Some(b)) => equal_modulo_trivia(&a, &b),
                    _ => false,
                };
                match (same_param, h.last_child(), x.last_child()) {
                    (true, Some(a), Some(b)) => self.go(&a, &b),
                    _ => Err(Widen),
                }
            }
            _ => self.generic(&h, &x),
        };
        if binds {
            self.hb.pop();
            self.xb.pop();
        }
        match r {
            Ok(()) => Ok(()),
            Err(Widen) => {
                self.m.diffs.truncate(mark);
                self.diff(&h, &x)
            }
        }
    }

    /// Children one by one; `Err` when the skeletons differ (the caller
    /// makes this node the difference).
    fn generic(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Result<(), Widen> {
        let (a, b) = (significant(h), significant(x));
        if a.len() != b.len() {
            return Err(Widen);
        }
        for (ea, eb) in a.iter().zip(&b) {
            match (ea, eb) {
                (NodeOrToken::Token(ta), NodeOrToken::Token(tb)) => {
                    if ta.kind() != tb.kind() || ta.text() != tb.text() {
                        return Err(Widen);
                    }
                }
                (NodeOrToken::Node(na), NodeOrToken::Node(nb)) => {
                    if na.kind() == SyntaxKind::NODE_ATTRPATH
                        || na.kind() == SyntaxKind::NODE_INHERIT
                    {
                        if !equal_modulo_trivia(na, nb) {
                            return Err(Widen);
                        }
                    } else {
                        self.go(na, nb)?;
                    }
                }
                _ => return Err(Widen),
            }
        }
        Ok(())
    }

    /// `./p/${f}.nix` against `./p/host.nix` (one interpolated formal).
    fn interpolated(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Option<bool> {
        use SyntaxKind::*;
        let path = matches!(h.kind(), NODE_PATH_REL | NODE_PATH_ABS | NODE_PATH_HOME);
        if !(path || h.kind() == NODE_STRING) || h.kind() != x.kind() {
            return None;
        }
        let interpols: Vec<SyntaxNode> =
            h.children().filter(|c| c.kind() == NODE_INTERPOL).collect();
        if interpols.len() != 1 || x.children().any(|c| c.kind() == NODE_INTERPOL) {
            return None;
        }
        let inner = interpols[0].children().next().map(unparen)?;
        let f = self.formal_ref(&inner)?;
        let (ht, xt) = (h.text().to_string(), x.text().to_string());
        let base = h.text_range().start();
        let ir = interpols[0].text_range();
        let prefix = &ht[..usize::from(ir.start() - base)];
        let suffix = &ht[usize::from(ir.end() - base)..];
        if xt.len() <= prefix.len() + suffix.len()
            || !xt.starts_with(prefix)
            || !xt.ends_with(suffix)
        {
            return Some(false);
        }
        let middle = &xt[prefix.len()..xt.len() - suffix.len()];
        let ok = if path {
            middle
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        } else {
            !middle.contains(['\\', '$', '"', '\'', '\n'])
        };
        if !ok {
            return Some(false);
        }
        Some(self.bind(&f, format!("\"{middle}\""), x))
    }

    /// `[ ... ] ++ f` against a list: the trailing elements go to `f`.
    fn append_formal(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Option<Result<(), Widen>> {
        if !is_concat(h) || x.kind() != SyntaxKind::NODE_LIST {
            return None;
        }
        let lhs = unparen(h.first_child()?);
        let rhs = unparen(h.last_child()?);
        if let Some(p) = self.formal_ref(&lhs) {
            return self.prepend_formal(h, &p, &rhs, x);
        }
        let f = self.formal_ref(&rhs)?;
        if lhs.kind() != SyntaxKind::NODE_LIST || self.m.args.contains_key(&f) {
            return None;
        }
        self.m.pairs.insert(lhs.text_range(), x.clone());
        let mark = self.m.diffs.len();
        match self.list(&lhs, x, Some(())) {
            Ok(trailing) => {
                let text = list_text(&trailing);
                if self.bind(&f, text, x) {
                    self.m.list_args.insert(f, trailing);
                    Some(Ok(()))
                } else {
                    self.m.diffs.truncate(mark);
                    Some(self.diff(h, x))
                }
            }
            Err(Widen) => {
                self.m.diffs.truncate(mark);
                Some(self.diff(h, x))
            }
        }
    }

    /// `p ++ [ ... ]` or `p ++ [ ... ] ++ f` against a list: the elements
    /// before the one the helper's list starts with go to `p`, the
    /// trailing ones to `f`. `None` (matched as any other code) when the
    /// host has no element like the helper's first.
    fn prepend_formal(
        &mut self,
        h: &SyntaxNode,
        p: &str,
        rest: &SyntaxNode,
        x: &SyntaxNode,
    ) -> Option<Result<(), Widen>> {
        if self.m.args.contains_key(p) {
            return None;
        }
        let (list, f) = match rest.kind() {
            SyntaxKind::NODE_LIST => (rest.clone(), None),
            SyntaxKind::NODE_BIN_OP if is_concat(rest) => {
                let l = unparen(rest.first_child()?);
                let f = self.formal_ref(&unparen(rest.last_child()?))?;
                if l.kind() != SyntaxKind::NODE_LIST || self.m.args.contains_key(&f) || f == p {
                    return None;
                }
                (l, Some(f))
            }
            _ => return None,
        };
        let ours = list_elems(&list);
        let first = ours.first()?.clone();
        let elems = list_elems(x);
        let Some(k) = elems.iter().position(|e| self.trial(&first, e)) else {
            // Nothing like the helper's modules: another kind of system.
            if ours.len() >= 2
                && !elems.is_empty()
                && !elems.iter().any(|e| ours.iter().any(|o| self.trial(o, e)))
            {
                self.m.disjoint_list = true;
            }
            return None;
        };
        let (lead, rest_elems) = elems.split_at(k);
        let mark = self.m.diffs.len();
        let (saved_args, saved_lists) = (self.m.args.clone(), self.m.list_args.clone());
        self.m.pairs.insert(list.text_range(), x.clone());
        let r = self.list_with(&list, rest_elems.to_vec(), f.as_ref().map(|_| ()));
        let bound = r.ok().and_then(|trailing| {
            if !self.bind(p, list_text(lead), x) {
                return None;
            }
            self.m.list_args.insert(p.to_string(), lead.to_vec());
            if let Some(f) = &f {
                if !self.bind(f, list_text(&trailing), x) {
                    return None;
                }
                self.m.list_args.insert(f.clone(), trailing);
            }
            Some(())
        });
        match bound {
            Some(()) => Some(Ok(())),
            None => {
                self.m.diffs.truncate(mark);
                self.m.args = saved_args;
                self.m.list_args = saved_lists;
                Some(self.diff(h, x))
            }
        }
    }

    /// Whether `h` matches `x` without a difference (nothing recorded).
    fn trial(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> bool {
        let saved_args = self.m.args.clone();
        let saved_lists = self.m.list_args.clone();
        let mark = self.m.diffs.len();
        let saved_budget = self.budget;
        let captured = self.m.captured;
        let disjoint = self.m.disjoint_list;
        let ok = self.go(h, x).is_ok() && self.m.diffs.len() == mark;
        self.m.captured = captured;
        self.m.disjoint_list = disjoint;
        self.m.diffs.truncate(mark);
        self.m.args = saved_args;
        self.m.list_args = saved_lists;
        self.budget = saved_budget.min(self.budget);
        ok
    }

    /// Lists aligned by the elements they share. With `trailing`, elements
    /// of `x` after the last shared one that the helper lacks are returned
    /// instead of being a difference.
    fn list(
        &mut self,
        h: &SyntaxNode,
        x: &SyntaxNode,
        trailing: Option<()>,
    ) -> Result<Vec<SyntaxNode>, Widen> {
        self.list_with(h, list_elems(x), trailing)
    }

    /// [`Self::list`] against the elements `b` of a list (all of it, or
    /// those after a run a formal takes).
    fn list_with(
        &mut self,
        h: &SyntaxNode,
        b: Vec<SyntaxNode>,
        trailing: Option<()>,
    ) -> Result<Vec<SyntaxNode>, Widen> {
        let a = list_elems(h);
        let (n, m) = (a.len(), b.len());
        if n * m > 4096 {
            return Err(Widen);
        }
        // Longest common subsequence on "matches without a difference".
        let mut ok = vec![vec![false; m]; n];
        for (i, ea) in a.iter().enumerate() {
            for (j, eb) in b.iter().enumerate() {
                ok[i][j] = self.trial(ea, eb);
            }
        }
        let mut dp = vec![vec![0usize; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                dp[i][j] = if ok[i][j] {
                    dp[i + 1][j + 1] + 1
                } else {
                    dp[i + 1][j].max(dp[i][j + 1])
                };
            }
        }
        let mut anchors = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if ok[i][j] && dp[i][j] == dp[i + 1][j + 1] + 1 {
                anchors.push((i, j));
                i += 1;
                j += 1;
            } else if dp[i + 1][j] >= dp[i][j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
        // Lists that share no module are another system, unless they pair
        // up element by element in kind (`[ ./a.nix { networking.hostName
        // = "a"; } ]` against the same for `b`): those differ inside each
        // module, and each difference is one parameter.
        let paired = anchors.is_empty()
            && n == m
            && a.iter()
                .zip(&b)
                .all(|(ea, eb)| unparen(ea.clone()).kind() == unparen(eb.clone()).kind());
        if n >= 2
            && m > 0
            && !paired
            && anchors
                .iter()
                .all(|&(ai, _)| self.formal_ref(&unparen(a[ai].clone())).is_some())
        {
            self.m.disjoint_list = true;
        }
        let mut out = Vec::new();
        let (mut pi, mut pj) = (0, 0);
        let last = anchors.len();
        for (k, &(ai, aj)) in anchors.iter().chain(std::iter::once(&(n, m))).enumerate() {
            let (hs, xs) = (&a[pi..ai], &b[pj..aj]);
            if k == last && trailing.is_some() && hs.is_empty() {
                out = xs.to_vec();
            } else if hs.len() == xs.len() {
                for (ea, eb) in hs.iter().zip(xs) {
                    self.go(ea, eb)?;
                }
            } else {
                if hs.iter().any(|e| reads_bound(e, &self.hb))
                    || xs.iter().any(|e| reads_bound(e, &self.xb))
                {
                    return Err(Widen);
                }
                self.m.diffs.push(Diff::Seq {
                    list: h.clone(),
                    from: pi,
                    to: ai,
                    run: xs.to_vec(),
                });
            }
            if k < last {
                self.go(&a[ai], &b[aj])?;
            }
            (pi, pj) = (ai + 1, aj + 1);
        }
        Ok(out)
    }

    /// Sets and `let` blocks, entries by key. `inherit f;` of a formal
    /// matches `f = value;`.
    fn set(&mut self, h: &SyntaxNode, x: &SyntaxNode) -> Result<(), Widen> {
        if is_rec(h) != is_rec(x) {
            return Err(Widen);
        }
        let (he, xe) = (entries(h).ok_or(Widen)?, entries(x).ok_or(Widen)?);
        if he.keys().collect::<Vec<_>>() != xe.keys().collect::<Vec<_>>() {
            // Keys some have: `{ shared } // { the others }`, for plain sets
            // whose differing keys share no first name with any other key.
            // Only where it reads better than replacing the set: the
            // builder's argument, or a set sharing three keys or more.
            let shared = he.keys().filter(|k| xe.contains_key(*k)).count();
            let is_arg = h
                .parent()
                .is_some_and(|p| p.kind() == SyntaxKind::NODE_APPLY);
            if h.kind() != SyntaxKind::NODE_ATTR_SET || is_rec(h) || !(is_arg || shared >= 3) {
                return Err(Widen);
            }
            let (hn, xn) = (entry_nodes(h).ok_or(Widen)?, entry_nodes(x).ok_or(Widen)?);
            let head = |k: &str| k.split('.').next().unwrap_or_default().to_string();
            let only_h: Vec<String> = he
                .keys()
                .filter(|k| !xe.contains_key(*k))
                .cloned()
                .collect();
            let only_x: Vec<String> = xe
                .keys()
                .filter(|k| !he.contains_key(*k))
                .cloned()
                .collect();
            for k in &only_h {
                if xe
                    .keys()
                    .chain(he.keys().filter(|o| *o != k))
                    .any(|o| head(o) == head(k))
                    || !hn.contains_key(k)
                {
                    return Err(Widen);
                }
                if reads_bound(&hn[k], &self.hb) {
                    return Err(Widen);
                }
            }
            for k in &only_x {
                if he
                    .keys()
                    .chain(xe.keys().filter(|o| *o != k))
                    .any(|o| head(o) == head(k))
                    || !xn.contains_key(k)
                {
                    return Err(Widen);
                }
                if reads_bound(&xn[k], &self.xb) {
                    return Err(Widen);
                }
            }
            for (k, hv) in &he {
                let Some(xv) = xe.get(k) else { continue };
                self.entry(k, hv, xv)?;
            }
            let mut entries: Vec<(String, SyntaxNode)> = xn.into_iter().collect();
            entries.sort_by_key(|(_, n)| n.text_range().start());
            self.m.diffs.push(Diff::Attrs {
                set: h.clone(),
                only_helper: only_h,
                entries,
            });
            return Ok(());
        }
        for (k, hv) in &he {
            self.entry(k, hv, &xe[k])?;
        }
        match (h.kind(), h.last_child(), x.last_child()) {
            (SyntaxKind::NODE_LET_IN, Some(a), Some(b)) => self.go(&a, &b),
            _ => Ok(()),
        }
    }
}

impl Matcher<'_> {
    /// One entry of a set, by key. `inherit f;` of a formal matches
    /// `f = value;`.
    fn entry(&mut self, k: &str, hv: &EntryVal, xv: &EntryVal) -> Result<(), Widen> {
        match (hv, xv) {
            (EntryVal::Value(a), EntryVal::Value(b)) => self.go(a, b),
            (EntryVal::Inherit(a), EntryVal::Inherit(b)) if a == b => Ok(()),
            (EntryVal::Inherit(None), EntryVal::Value(b)) => {
                if !self.formals.contains(k) || self.hb.iter().any(|s| s.contains(k)) {
                    return Err(Widen);
                }
                let text = b.text().to_string();
                if self.bind(k, text, b) {
                    Ok(())
                } else {
                    Err(Widen)
                }
            }
            _ => Err(Widen),
        }
    }
}

#[derive(Debug)]
enum EntryVal {
    Value(SyntaxNode),
    /// `inherit (from) name;`: the text of `from`.
    Inherit(Option<String>),
}

/// The entry node of each static key (dotted paths joined): the
/// `NODE_ATTRPATH_VALUE`, or a `NODE_INHERIT` of that name alone; a key of
/// an `inherit` of several names is left out. `None` when a key is dynamic.
pub fn entry_nodes(set: &SyntaxNode) -> Option<BTreeMap<String, SyntaxNode>> {
    let mut out = BTreeMap::new();
    for c in set.children() {
        match c.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                let names: Option<Vec<String>> = c
                    .first_child()?
                    .children()
                    .map(|a| static_attr_name(&a))
                    .collect();
                out.insert(names?.join("."), c.clone());
            }
            SyntaxKind::NODE_INHERIT => {
                let names: Vec<SyntaxNode> = c
                    .children()
                    .filter(|a| a.kind() != SyntaxKind::NODE_INHERIT_FROM)
                    .collect();
                if names.len() == 1 {
                    out.insert(static_attr_name(&names[0])?, c.clone());
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// Entries by static key (dotted paths joined); `None` when a key is dynamic.
fn entries(set: &SyntaxNode) -> Option<BTreeMap<String, EntryVal>> {
    let mut out = BTreeMap::new();
    for c in set.children() {
        match c.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                let path = c.first_child()?;
                let names: Option<Vec<String>> =
                    path.children().map(|a| static_attr_name(&a)).collect();
                let key = names?.join(".");
                let value = c.children().nth(1)?;
                if out.insert(key, EntryVal::Value(value)).is_some() {
                    return None;
                }
            }
            SyntaxKind::NODE_INHERIT => {
                let from = c
                    .children()
                    .find(|a| a.kind() == SyntaxKind::NODE_INHERIT_FROM)
                    .map(|f| {
                        significant(&f)
                            .iter()
                            .map(|e| e.to_string())
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                for a in c
                    .children()
                    .filter(|a| a.kind() != SyntaxKind::NODE_INHERIT_FROM)
                {
                    let name = static_attr_name(&a)?;
                    if out.insert(name, EntryVal::Inherit(from.clone())).is_some() {
                        return None;
                    }
                }
            }
            _ if c.kind() == SyntaxKind::NODE_ATTRPATH => {}
            _ => {
                // The body of a `let`.
            }
        }
    }
    Some(out)
}

/// `[ a b ]` from element texts (`[ ]` when empty).
pub fn list_text(elems: &[SyntaxNode]) -> String {
    if elems.is_empty() {
        return "[ ]".into();
    }
    let mut out = String::from("[\n");
    for e in elems {
        out.push_str(&e.text().to_string());
        out.push('\n');
    }
    out.push(']');
    out
}

/// Why a call cannot be reduced or proven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotProven(pub String);

/// Free names of `text` (parsed on its own): references no binder in it binds.
pub fn free_names(text: &str) -> BTreeSet<String> {
    let root = rnix::Root::parse(text).syntax();
    let index = ScopeIndex::build(&root);
    index
        .refs
        .iter()
        .filter(|r| r.binder.is_none())
        .map(|r| r.name.clone())
        .collect()
}

/// The lambda's pattern: formals and their defaults, whether it has `...`,
/// and whether it binds `@name`.
pub struct Pattern {
    pub formals: Vec<(String, Option<SyntaxNode>)>,
    pub ellipsis: bool,
    pub at: Option<String>,
}

/// The pattern of a `{ ... }:` lambda (`None` for `x: ...`).
pub fn pattern_of(lambda: &SyntaxNode) -> Option<Pattern> {
    let pat = lambda
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)?;
    let mut formals = Vec::new();
    let mut at = None;
    for c in pat.children() {
        match c.kind() {
            SyntaxKind::NODE_PAT_ENTRY => {
                let name = c.first_child()?.text().to_string();
                formals.push((name, c.children().nth(1)));
            }
            SyntaxKind::NODE_PAT_BIND => {
                at = c.children().next().map(|n| n.text().to_string());
            }
            _ => {}
        }
    }
    let ellipsis = pat
        .children_with_tokens()
        .any(|t| t.kind() == SyntaxKind::TOKEN_ELLIPSIS);
    Some(Pattern {
        formals,
        ellipsis,
        at,
    })
}

/// Beta-reduce `lambda args`: the text of `lambda`'s body with every formal
/// replaced (see the module docs). `lambda_text` is the text of a
/// `{ ... }: body` function; `args` maps argument names to their text (as
/// written at the call, read in the caller's scope).
pub fn reduce(lambda_text: &str, args: &BTreeMap<String, String>) -> Result<String, NotProven> {
    Prepared::new(lambda_text)?.reduce(args)
}

/// A helper parsed and analysed once, to reduce many calls of it.
pub struct Prepared {
    /// The function taking the attribute set.
    lambda: SyntaxNode,
    /// The functions of the positional parameters before it (`name: { ... }:`),
    /// outermost first.
    outer: Vec<SyntaxNode>,
    pattern: Pattern,
    index: ScopeIndex,
}

/// A curried helper's positional parameters (`name: system: { ... }: body`)
/// and the function taking the attribute set, when there is one.
pub fn peel_positional(lambda: &SyntaxNode) -> (Vec<String>, Vec<SyntaxNode>, SyntaxNode) {
    let mut names = Vec::new();
    let mut outer = Vec::new();
    let mut l = unparen(lambda.clone());
    while l.kind() == SyntaxKind::NODE_LAMBDA {
        let Some(param) = l.first_child() else { break };
        if param.kind() != SyntaxKind::NODE_IDENT_PARAM {
            break;
        }
        let Some(next) = l.last_child().map(unparen) else {
            break;
        };
        if next.kind() != SyntaxKind::NODE_LAMBDA {
            break;
        }
        names.push(param.text().to_string().trim().to_string());
        outer.push(l.clone());
        l = next;
    }
    (names, outer, l)
}

impl Prepared {
    /// Parse `lambda_text`, a `{ ... }: body` function.
    pub fn new(lambda_text: &str) -> Result<Prepared, NotProven> {
        let root = rnix::Root::parse(lambda_text);
        if !root.errors().is_empty() {
            return Err(NotProven("the helper does not parse".into()));
        }
        let root = root.syntax();
        let lambda = root
            .first_child()
            .map(unparen)
            .filter(|l| l.kind() == SyntaxKind::NODE_LAMBDA)
            .ok_or_else(|| NotProven("the helper is not a function".into()))?;
        let (_, outer, lambda) = peel_positional(&lambda);
        let pattern = pattern_of(&lambda)
            .ok_or_else(|| NotProven("the helper takes no attribute set".into()))?;
        if pattern.at.is_some() {
            return Err(NotProven(
                "the helper names its whole argument (`@`)".into(),
            ));
        }
        let index = ScopeIndex::build(&root);
        Ok(Prepared {
            lambda,
            outer,
            pattern,
            index,
        })
    }

    /// The call with `args` beta-reduced, `++` not folded yet.
    fn reduce_raw(&self, args: &BTreeMap<String, String>) -> Result<String, NotProven> {
        let names: BTreeSet<&str> = self
            .pattern
            .formals
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let positional: Vec<String> = self
            .outer
            .iter()
            .filter_map(|l| l.first_child())
            .map(|p| p.text().to_string().trim().to_string())
            .collect();
        if !self.pattern.ellipsis {
            if let Some(extra) = args
                .keys()
                .find(|k| !names.contains(k.as_str()) && !positional.contains(k))
            {
                return Err(NotProven(format!("the helper takes no argument `{extra}`")));
            }
        }
        let body = self
            .lambda
            .last_child()
            .ok_or_else(|| NotProven("the helper has no body".into()))?;
        let top = self.outer.first().unwrap_or(&self.lambda);
        let mut r = Reducer {
            index: &self.index,
            lambda: &self.lambda,
            top,
            outer: &self.outer,
            pattern: &self.pattern,
            args,
            values: HashMap::new(),
            stack: Vec::new(),
        };
        r.reduce_node(&body)
    }

    /// Beta-reduce the call with `args` (see [`reduce`]).
    pub fn reduce(&self, args: &BTreeMap<String, String>) -> Result<String, NotProven> {
        Ok(normalise(&self.reduce_raw(args)?))
    }

    /// The proof for one call (see [`prove_call`]).
    pub fn prove(
        &self,
        args: &BTreeMap<String, String>,
        original: &SyntaxNode,
    ) -> Result<(), NotProven> {
        let reduced = normalise_parsed(&self.reduce_raw(args)?);
        compare(reduced, original)
    }
}

struct Reducer<'a> {
    index: &'a ScopeIndex,
    lambda: &'a SyntaxNode,
    /// The outermost function (the first positional parameter's, or `lambda`).
    top: &'a SyntaxNode,
    outer: &'a [SyntaxNode],
    pattern: &'a Pattern,
    args: &'a BTreeMap<String, String>,
    values: HashMap<String, String>,
    stack: Vec<String>,
}

impl Reducer<'_> {
    /// The value of formal `f`: the argument, or its default reduced.
    fn value(&mut self, f: &str) -> Result<String, NotProven> {
        if let Some(a) = self.args.get(f) {
            return Ok(a.clone());
        }
        if let Some(v) = self.values.get(f) {
            return Ok(v.clone());
        }
        if self.stack.iter().any(|s| s == f) || self.stack.len() > 32 {
            return Err(NotProven(format!("the default of `{f}` refers to itself")));
        }
        let default = self
            .pattern
            .formals
            .iter()
            .find(|(n, _)| n == f)
            .and_then(|(_, d)| d.clone())
            .ok_or_else(|| {
                NotProven(format!(
                    "the call does not pass `{f}`, which has no default"
                ))
            })?;
        self.stack.push(f.to_string());
        let v = self.reduce_node(&default);
        self.stack.pop();
        let v = v?;
        self.values.insert(f.to_string(), v.clone());
        Ok(v)
    }

    /// The names bound between the lambda and `at` (inside the lambda),
    /// and whether a `with` encloses it there.
    /// Whether binder `b` is one of the helper's parameters.
    fn is_param(&self, b: usize) -> bool {
        let b = &self.index.binders[b];
        (b.kind == BinderKind::Formal && b.scope == *self.lambda)
            || (b.kind == BinderKind::Param && self.outer.contains(&b.scope))
    }

    fn inner_binders(&self, at: TextRange) -> (BTreeSet<String>, bool) {
        let mut names = BTreeSet::new();
        for b in &self.index.binders {
            if b.scope != *self.lambda
                && !self.outer.contains(&b.scope)
                && self.top.text_range().contains_range(b.scope.text_range())
                && b.scope.text_range().contains_range(at)
            {
                names.insert(b.name.clone());
            }
        }
        let mut with = false;
        let mut n = crate::syntax::covering_node(self.top, at);
        while n != *self.top {
            if n.kind() == SyntaxKind::NODE_WITH && n.text_range() != at {
                with = true;
            }
            match n.parent() {
                Some(p) => n = p,
                None => break,
            }
        }
        (names, with)
    }

    fn check_capture(&self, at: TextRange, value: &str, f: &str) -> Result<(), NotProven> {
        let free = free_names(value);
        if free.is_empty() {
            return Ok(());
        }
        let (names, with) = self.inner_binders(at);
        if let Some(n) = free.iter().find(|n| names.contains(*n)) {
            return Err(NotProven(format!(
                "the argument `{f}` reads `{n}`, which the helper binds where `{f}` is used (capture)"
            )));
        }
        if with {
            return Err(NotProven(format!(
                "the argument `{f}` is used under a `with` inside the helper, which could capture its names"
            )));
        }
        Ok(())
    }

    /// The text of `node` with its formals substituted.
    fn reduce_node(&mut self, node: &SyntaxNode) -> Result<String, NotProven> {
        let base = node.text_range().start();
        let text = node.text().to_string();
        let mut edits: Vec<(TextRange, String)> = Vec::new();
        let mut inherits_done: std::collections::HashSet<TextRange> = Default::default();
        let refs: Vec<_> = self
            .index
            .refs
            .iter()
            .filter(|r| node.text_range().contains_range(r.range))
            .filter(|r| r.binder.is_some_and(|b| self.is_param(b)))
            .cloned()
            .collect();
        for r in refs {
            let ident = crate::syntax::covering_node(self.top, r.range);
            let parent = ident.parent();
            // `inherit a f b;`: written `f = value;` next to the others.
            if let Some(inh) = parent
                .clone()
                .filter(|p| p.kind() == SyntaxKind::NODE_INHERIT)
            {
                if inherits_done.insert(inh.text_range()) {
                    let mut rest = Vec::new();
                    let mut out = String::new();
                    for a in inh.children() {
                        let name = a.text().to_string();
                        let is_formal = self.index.refs.iter().any(|q| {
                            q.range == a.text_range() && q.binder.is_some_and(|b| self.is_param(b))
                        });
                        if is_formal {
                            let v = self.value(&name)?;
                            self.check_capture(inh.text_range(), &v, &name)?;
                            out.push_str(&format!("{name} = ({v}); "));
                        } else {
                            rest.push(name);
                        }
                    }
                    if !rest.is_empty() {
                        out.push_str(&format!("inherit {};", rest.join(" ")));
                    }
                    edits.push((inh.text_range(), out));
                }
                continue;
            }
            let v = self.value(&r.name)?;
            self.check_capture(r.range, &v, &r.name)?;
            // A string literal interpolated into a path or a string.
            if let Some(interp) = parent
                .clone()
                .filter(|p| p.kind() == SyntaxKind::NODE_INTERPOL)
            {
                let host = interp.parent().map(|p| p.kind());
                let path = matches!(
                    host,
                    Some(
                        SyntaxKind::NODE_PATH_REL
                            | SyntaxKind::NODE_PATH_ABS
                            | SyntaxKind::NODE_PATH_HOME
                    )
                );
                if let Some(lit) = plain_string(&v) {
                    let fits = if path {
                        !lit.is_empty()
                            && lit.chars().all(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')
                            })
                    } else {
                        !lit.contains(['\\', '$', '"', '\'', '\n'])
                    };
                    if fits && (path || host == Some(SyntaxKind::NODE_STRING)) {
                        edits.push((interp.text_range(), lit));
                        continue;
                    }
                }
            }
            edits.push((r.range, format!("({v})")));
        }
        edits.sort_by_key(|(r, _)| r.start());
        let mut out = String::new();
        let mut at = 0usize;
        for (range, new) in edits {
            let lo = usize::from(range.start() - base);
            let hi = usize::from(range.end() - base);
            if lo < at {
                return Err(NotProven("overlapping substitutions".into()));
            }
            out.push_str(&text[at..lo]);
            out.push_str(&new);
            at = hi;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }
}

/// The value of a `"..."` string without interpolation or escapes.
fn plain_string(text: &str) -> Option<String> {
    let e = parse_expr(text).map(unparen)?;
    if e.kind() != SyntaxKind::NODE_STRING {
        return None;
    }
    let t = e.text().to_string();
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains(['\\', '$', '"']) {
        return None;
    }
    Some(inner.to_string())
}

/// Fold `++` of list literals (`[ a ] ++ [ b ]` is `[ a b ]`, `[ a ] ++ [ ]`
/// is `[ a ]`): what Nix computes, written out.
pub fn normalise(text: &str) -> String {
    normalise_parsed(text).0
}

/// [`normalise`], with the expression of its last parse when it parsed the
/// result (so that the caller need not parse it again).
fn normalise_parsed(text: &str) -> (String, Option<SyntaxNode>) {
    let mut text = text.to_string();
    if !text.contains("++") && !text.contains("//") {
        return (text, None);
    }
    for _ in 0..512 {
        let root = rnix::Root::parse(&text);
        if !root.errors().is_empty() {
            return (text, None);
        }
        let root = root.syntax();
        // Every fold whose range overlaps no fold already taken, in one
        // pass (one parse per round, not per fold).
        let mut steps: Vec<(TextRange, String)> = Vec::new();
        let free = |steps: &[(TextRange, String)], r: TextRange| {
            steps
                .iter()
                .all(|(t, _)| t.intersect(r).is_none_or(|i| i.is_empty()))
        };
        for op in root.descendants().filter(is_concat) {
            if !free(&steps, op.text_range()) {
                continue;
            }
            let (Some(l), Some(r)) = (op.first_child().map(unparen), op.last_child().map(unparen))
            else {
                continue;
            };
            let is_list = |n: &SyntaxNode| n.kind() == SyntaxKind::NODE_LIST;
            let empty = |n: &SyntaxNode| is_list(n) && n.children().next().is_none();
            let new = if is_list(&l) && is_list(&r) {
                let mut elems = list_elems(&l);
                elems.extend(list_elems(&r));
                Some(list_of(&elems))
            } else if empty(&l) && is_concat(&r) {
                Some(r.text().to_string())
            } else if empty(&r) && is_concat(&l) {
                Some(l.text().to_string())
            } else if is_list(&l) && is_concat(&r) {
                // `[ a ] ++ ([ b ] ++ rest)` is `[ a b ] ++ rest`.
                match (r.first_child().map(unparen), r.last_child()) {
                    (Some(rl), Some(rest)) if is_list(&rl) => {
                        let mut elems = list_elems(&l);
                        elems.extend(list_elems(&rl));
                        Some(format!("{} ++ ({})", list_of(&elems), rest.text()))
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some(new) = new {
                steps.push((op.text_range(), new));
            }
        }
        if steps.is_empty() {
            for (r, new) in root.descendants().filter_map(merge_update) {
                if free(&steps, r) {
                    steps.push((r, new));
                }
            }
        }
        if steps.is_empty() {
            let expr = root.first_child();
            return (text, expr);
        }
        steps.sort_by_key(|(r, _)| std::cmp::Reverse(r.start()));
        for (range, new) in steps {
            let (lo, hi) = (usize::from(range.start()), usize::from(range.end()));
            text = format!("{}({}){}", &text[..lo], new, &text[hi..]);
        }
    }
    (text, None)
}

/// `{ a = 1; } // { b = 2; }` as `{ a = 1; b = 2; }`: plain sets whose
/// keys share no first name (so `//` replaces nothing).
fn merge_update(op: SyntaxNode) -> Option<(TextRange, String)> {
    if op.kind() != SyntaxKind::NODE_BIN_OP
        || !op
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_UPDATE)
    {
        return None;
    }
    let (l, r) = (unparen(op.first_child()?), unparen(op.last_child()?));
    let plain = |n: &SyntaxNode| n.kind() == SyntaxKind::NODE_ATTR_SET && !is_rec(n);
    if !plain(&l) || !plain(&r) {
        return None;
    }
    let (a, b) = (entries(&l)?, entries(&r)?);
    let head = |k: &String| k.split('.').next().unwrap_or_default().to_string();
    let heads: BTreeSet<String> = a.keys().map(head).collect();
    if b.keys().any(|k| heads.contains(&head(k))) {
        return None;
    }
    let texts = |n: &SyntaxNode| -> Vec<String> {
        n.children()
            .filter(|c| {
                matches!(
                    c.kind(),
                    SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                )
            })
            .map(|c| c.text().to_string())
            .collect()
    };
    let mut entries: Vec<String> = texts(&l);
    entries.extend(texts(&r));
    entries.sort();
    Some((op.text_range(), format!("{{ {} }}", entries.join(" "))))
}

/// `a ++ b` (through parentheses).
pub(super) fn is_concat(n: &SyntaxNode) -> bool {
    let n = unparen(n.clone());
    n.kind() == SyntaxKind::NODE_BIN_OP
        && n.children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_CONCAT)
}

fn list_of(elems: &[SyntaxNode]) -> String {
    format!(
        "[ {} ]",
        elems
            .iter()
            .map(|e| e.text().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    )
}

/// Every `''` string written as the `"..."` string of the same value
/// (indentation stripped as Nix does), innermost first, so that strings
/// re-indented with their code compare equal.
pub fn canonical_strings(text: &str) -> String {
    use rnix::ast::{InterpolPart, Str};
    use rowan::ast::AstNode;
    let mut text = text.to_string();
    if !text.contains("''") {
        return text;
    }
    for _ in 0..512 {
        let root = rnix::Root::parse(&text);
        if !root.errors().is_empty() {
            return text;
        }
        let root = root.syntax();
        let found = root.descendants().find(|n| {
            n.kind() == SyntaxKind::NODE_STRING
                && n.first_token().is_some_and(|t| t.text() == "''")
                && !n.descendants().skip(1).any(|d| {
                    d.kind() == SyntaxKind::NODE_STRING
                        && d.first_token().is_some_and(|t| t.text() == "''")
                })
        });
        let Some(node) = found else { return text };
        let Some(s) = Str::cast(node.clone()) else {
            return text;
        };
        let mut out = String::from("\"");
        for part in s.normalized_parts() {
            match part {
                InterpolPart::Literal(l) => out.push_str(
                    &l.replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace("${", "\\${")
                        .replace('\n', "\\n")
                        .replace('\t', "\\t")
                        .replace('\r', "\\r"),
                ),
                InterpolPart::Interpolation(i) => {
                    out.push_str("${");
                    if let Some(e) = i.expr() {
                        out.push_str(&e.syntax().text().to_string());
                    }
                    out.push('}');
                }
            }
        }
        out.push('"');
        let range = node.text_range();
        let (lo, hi) = (usize::from(range.start()), usize::from(range.end()));
        text = format!("{}{}{}", &text[..lo], out, &text[hi..]);
    }
    text
}

/// The proof for one call: `lambda_text` applied to `args` reduces to code
/// structurally equal to `original`.
pub fn prove_call(
    lambda_text: &str,
    args: &BTreeMap<String, String>,
    original: &SyntaxNode,
) -> Result<(), NotProven> {
    Prepared::new(lambda_text)?.prove(args, original)
}

/// Whether reduced code is `original`, `++` of lists folded and `''`
/// strings compared by value.
fn compare(reduced: (String, Option<SyntaxNode>), original: &SyntaxNode) -> Result<(), NotProven> {
    // A parse already made is used again when no `''` string is to be
    // rewritten; the original, when nothing was folded, is its own node.
    let expr = |(text, parsed): (String, Option<SyntaxNode>)| match parsed {
        Some(p) if !text.contains("''") => Some(p),
        _ => parse_expr(&canonical_strings(&text)),
    };
    let parsed =
        expr(reduced).ok_or_else(|| NotProven("the reduced call does not parse".into()))?;
    let original_text = original.text().to_string();
    let orig = match normalise_parsed(&original_text) {
        (text, None) if text == original_text && !text.contains("''") => Some(original.clone()),
        other => expr(other),
    }
    .ok_or_else(|| NotProven("the original does not parse on its own".into()))?;
    if equal_modulo_trivia(&parsed, &orig) {
        Ok(())
    } else {
        Err(NotProven(
            "the reduced call is not the code it replaces".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> SyntaxNode {
        parse_expr(text).expect("parses")
    }

    fn args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn same(a: &str, b: &str) -> bool {
        equal_modulo_trivia(&expr(a), &expr(b))
    }

    #[test]
    fn reduce_substitutes_arguments_and_defaults() {
        let lambda = "{ hostname, system ? \"x86_64-linux\", extra ? [ hostname ] }: f { inherit system; n = hostname; m = [ 1 ] ++ extra; }";
        let out = reduce(lambda, &args(&[("hostname", "\"a\"")])).unwrap();
        assert!(
            same(
                &out,
                "f { system = \"x86_64-linux\"; n = \"a\"; m = [ 1 \"a\" ]; }"
            ),
            "{out}"
        );
        let out = reduce(lambda, &args(&[("hostname", "\"a\""), ("extra", "[ ]")])).unwrap();
        assert!(
            same(
                &out,
                "f { system = \"x86_64-linux\"; n = \"a\"; m = [ 1 ]; }"
            ),
            "{out}"
        );
    }

    #[test]
    fn reduce_writes_string_arguments_into_paths() {
        let out = reduce("{ h }: ./hosts/${h}.nix", &args(&[("h", "\"m1\"")])).unwrap();
        assert!(same(&out, "./hosts/m1.nix"), "{out}");
        // Not a path-safe string: stays interpolated.
        let out = reduce("{ h }: ./hosts/${h}.nix", &args(&[("h", "\"a b\"")])).unwrap();
        assert!(out.contains("${"), "{out}");
    }

    #[test]
    fn reduce_refuses_capture() {
        // The argument reads `pkgs`, which the helper binds where `x` is used.
        let e = reduce("{ x }: let pkgs = 1; in [ x ]", &args(&[("x", "pkgs.git")])).unwrap_err();
        assert!(e.0.contains("capture"), "{}", e.0);
        // Under an inner `with`, any free name could be captured.
        let e = reduce("{ x }: with lib; [ x ]", &args(&[("x", "git")])).unwrap_err();
        assert!(e.0.contains("with"), "{}", e.0);
        // A closed argument is fine under both.
        assert!(reduce(
            "{ x }: let pkgs = 1; in with lib; [ x ]",
            &args(&[("x", "\"a\"")])
        )
        .is_ok());
    }

    #[test]
    fn reduce_refuses_missing_and_unknown_arguments() {
        assert!(reduce("{ a }: a", &args(&[])).is_err());
        assert!(reduce("{ a }: a", &args(&[("a", "1"), ("b", "2")])).is_err());
        assert!(reduce("{ a, ... }: a", &args(&[("a", "1"), ("b", "2")])).is_ok());
        assert!(reduce("{ a ? b, b ? a }: a", &args(&[])).is_err());
        assert!(reduce("args@{ a }: a", &args(&[("a", "1")])).is_err());
    }

    #[test]
    fn normalise_folds_lists_and_disjoint_sets_only() {
        assert!(same(
            &normalise("[ a ] ++ [ b ] ++ rest"),
            "[ a b ] ++ rest"
        ));
        assert!(same(&normalise("x: [ ] ++ ([ a ] ++ [ ])"), "x: [ a ]"));
        assert!(same(
            &normalise("{ a = 1; } // { b.c = 2; }"),
            "{ a = 1; b.c = 2; }"
        ));
        // `//` replaces `a`: not folded.
        let kept = normalise("{ a.b = 1; } // { a = 2; }");
        assert!(kept.contains("//"), "{kept}");
        // Not both lists: not folded.
        assert!(normalise("xs ++ [ ]").contains("++"));
    }

    #[test]
    fn indented_strings_compare_by_value() {
        let a = canonical_strings("{ t = ''\n    a ${b}\n      c\n  ''; }");
        let b = canonical_strings("{ t = ''\n  a ${b}\n    c\n''; }");
        assert!(same(&a, &b), "{a}\n{b}");
        let c = canonical_strings("{ t = ''\n  a ${b}\n  c\n''; }");
        assert!(!same(&a, &c));
    }

    #[test]
    fn match_body_binds_formals_consistently() {
        let formals: BTreeSet<String> = ["hostname", "system", "modules"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let body = expr(
            "f { inherit system; modules = [ ./c/${hostname}.nix { x = system; } ] ++ modules; }",
        );
        let host =
            expr("f { system = \"a\"; modules = [ ./c/m1.nix { x = \"a\"; } ./extra.nix ]; }");
        let m = match_body(&body, &formals, &host);
        assert!(m.diffs.is_empty(), "{:?}", m.diffs);
        assert_eq!(m.args["system"], "\"a\"");
        assert_eq!(m.args["hostname"], "\"m1\"");
        assert!(same(&m.args["modules"], "[ ./extra.nix ]"));
        // An inconsistent use of a formal is a difference.
        let host = expr("f { system = \"a\"; modules = [ ./c/m1.nix { x = \"b\"; } ]; }");
        let m = match_body(&body, &formals, &host);
        assert_eq!(m.diffs.len(), 1);
    }

    #[test]
    fn a_difference_reading_a_helper_binding_widens() {
        let formals = BTreeSet::new();
        let body = expr("let p = 1; in f { a = p.x; b = 2; }");
        let host = expr("let p = 1; in f { a = p.y; b = 2; }");
        let m = match_body(&body, &formals, &host);
        assert!(m.captured);
        assert!(
            matches!(&m.diffs[..], [Diff::Value { helper, .. }] if helper.kind() == SyntaxKind::NODE_LET_IN)
        );
    }

    #[test]
    fn prove_call_rejects_another_host() {
        let lambda = "{ h, extraModules ? [ ] }: f { modules = [ ./${h}.nix ] ++ extraModules; }";
        let host = expr("f { modules = [ ./a.nix ./b.nix ]; }");
        assert!(prove_call(
            lambda,
            &args(&[("h", "\"a\""), ("extraModules", "[ ./b.nix ]")]),
            &host
        )
        .is_ok());
        assert!(prove_call(lambda, &args(&[("h", "\"a\"")]), &host).is_err());
        // Order matters: list merge order is part of the meaning.
        let swapped = expr("f { modules = [ ./b.nix ./a.nix ]; }");
        assert!(prove_call(
            lambda,
            &args(&[("h", "\"a\""), ("extraModules", "[ ./b.nix ]")]),
            &swapped
        )
        .is_err());
    }

    #[test]
    fn resolve_at_finds_the_innermost_binder() {
        let text = "let a = 1; f = x: let a = 2; in a; in [ a f ]";
        let root = rnix::Root::parse(text).syntax();
        let index = ScopeIndex::build(&root);
        let inner = text.find("in a;").unwrap() + 3;
        let outer = text.rfind("a f").unwrap();
        let bi = index.resolve_at("a", (inner as u32).into()).unwrap();
        let bo = index.resolve_at("a", (outer as u32).into()).unwrap();
        assert_ne!(bi, bo);
        assert!(index.resolve_at("x", (outer as u32).into()).is_none());
        assert!(index.resolve_at("x", (inner as u32).into()).is_some());
    }
}
