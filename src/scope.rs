//! Bindings and free variables.
//!
//! [`ScopeIndex::build`] walks a file once and resolves every variable
//! reference to the binder that introduces it (a `let` entry, a `rec`
//! attribute, a lambda formal, an `@` pattern or a plain lambda argument), or
//! to nothing. References that no binder resolves are builtins, names that may
//! come from an enclosing `with`, or unbound (an error Nix reports at parse
//! time).
//!
//! Nix resolves lexical bindings before `with`: a name that is bound
//! lexically never comes from a `with`, however deep the `with` is. That is
//! what makes moving code with its free variables passed by name exact, and
//! why names that are *not* bound lexically but sit under a `with` are the
//! only uncertain ones.

use std::collections::{BTreeSet, HashMap};

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::syntax::static_attr_name;

/// Names Nix provides in every scope (besides every name starting with `__`).
pub const BUILTINS: &[&str] = &[
    "abort",
    "baseNameOf",
    "break",
    "builtins",
    "derivation",
    "derivationStrict",
    "dirOf",
    "false",
    "fetchGit",
    "fetchMercurial",
    "fetchTarball",
    "fetchTree",
    "fromTOML",
    "import",
    "isNull",
    "map",
    "null",
    "placeholder",
    "removeAttrs",
    "scopedImport",
    "throw",
    "toString",
    "true",
];

/// The `with` expressions whose body holds `node` (not their namespace),
/// outermost first: what a name there may come from when nothing binds it
/// lexically.
pub fn enclosing_withs(node: &SyntaxNode) -> Vec<SyntaxNode> {
    let range = node.text_range();
    let mut withs: Vec<SyntaxNode> = node
        .ancestors()
        .skip(1)
        .filter(|a| a.kind() == SyntaxKind::NODE_WITH)
        .filter(|w| {
            w.children()
                .next()
                .is_some_and(|ns| !ns.text_range().contains_range(range))
        })
        .collect();
    withs.reverse();
    withs
}

/// Whether `name` is a Nix builtin available without `builtins.`.
pub fn is_builtin(name: &str) -> bool {
    name.starts_with("__") || BUILTINS.contains(&name)
}

/// What kind of construct introduces a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinderKind {
    /// An entry of `let ... in`.
    Let,
    /// An attribute of a `rec { }` set (or of a legacy `let { }`).
    Rec,
    /// A formal of a `{ a, b ? d, ... }:` pattern.
    Formal,
    /// The `@name` of a pattern.
    PatternBind,
    /// The argument of `x: ...`.
    Param,
}

/// A name introduced by a binding construct.
#[derive(Debug, Clone)]
pub struct Binder {
    pub name: String,
    pub kind: BinderKind,
    /// Where the name is written (the first definition when there are several,
    /// as with `a.b = 1; a.c = 2;`).
    pub name_range: TextRange,
    /// The entries that define it: `NODE_ATTRPATH_VALUE`, `NODE_INHERIT`,
    /// `NODE_PAT_ENTRY`, `NODE_PAT_BIND` or `NODE_IDENT_PARAM`.
    pub entries: Vec<SyntaxNode>,
    /// The construct whose scope it belongs to: `NODE_LET_IN`, `NODE_ATTR_SET`,
    /// `NODE_LEGACY_LET` or `NODE_LAMBDA`.
    pub scope: SyntaxNode,
}

/// A variable reference.
#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub range: TextRange,
    /// Index into [`ScopeIndex::binders`]; `None` when no lexical binder exists.
    pub binder: Option<usize>,
    /// The `with` expressions enclosing the reference, outermost first.
    pub withs: Vec<SyntaxNode>,
}

impl Reference {
    /// Neither bound lexically, nor a builtin, nor possibly from a `with`.
    pub fn is_unbound(&self) -> bool {
        self.binder.is_none() && self.withs.is_empty() && !is_builtin(&self.name)
    }
}

/// Every binder and reference of one file.
#[derive(Debug, Default)]
pub struct ScopeIndex {
    pub binders: Vec<Binder>,
    pub refs: Vec<Reference>,
    /// Reference index by range, for [`ScopeIndex::reference_at`].
    by_range: HashMap<TextRange, usize>,
    /// Binder index by the range of its name, for [`ScopeIndex::binder_named_at`].
    by_name: HashMap<TextRange, usize>,
}

impl ScopeIndex {
    /// Analyse the tree under `root`.
    pub fn build(root: &SyntaxNode) -> ScopeIndex {
        let mut w = Walker {
            index: ScopeIndex::default(),
            frames: Vec::new(),
            withs: Vec::new(),
        };
        w.expr(root);
        let mut index = w.index;
        index.by_range = index
            .refs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.range, i))
            .collect();
        index.by_name = index
            .binders
            .iter()
            .enumerate()
            .map(|(i, b)| (b.name_range, i))
            .collect();
        index
    }

    /// The reference written at `range` (an identifier), in constant time.
    pub fn reference_at(&self, range: TextRange) -> Option<&Reference> {
        self.by_range.get(&range).map(|&i| &self.refs[i])
    }

    /// The binder whose name is written at `range`, in constant time.
    pub fn binder_named_at(&self, range: TextRange) -> Option<usize> {
        self.by_name.get(&range).copied()
    }

    /// References inside `range` whose binder is outside it (or absent):
    /// the free variables of the code in `range`.
    pub fn free_in(&self, range: TextRange) -> impl Iterator<Item = &Reference> {
        self.refs.iter().filter(move |r| {
            range.contains_range(r.range)
                && match r.binder {
                    Some(b) => !range.contains_range(self.binders[b].name_range),
                    None => true,
                }
        })
    }

    /// References resolved to binder `b`.
    pub fn uses_of(&self, b: usize) -> impl Iterator<Item = &Reference> {
        self.refs.iter().filter(move |r| r.binder == Some(b))
    }

    /// The binder whose entries include `entry`.
    pub fn binder_of_entry(&self, entry: &SyntaxNode) -> Option<usize> {
        self.binders.iter().position(|b| b.entries.contains(entry))
    }

    /// The binders that `eligible` accepts and that the code in `roots`
    /// references, directly or through the definitions of such binders.
    pub fn reachable(
        &self,
        roots: &[TextRange],
        eligible: impl Fn(usize) -> bool,
    ) -> BTreeSet<usize> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        let mut work: Vec<TextRange> = roots.to_vec();
        while let Some(range) = work.pop() {
            for r in self.free_in(range) {
                if let Some(b) = r.binder {
                    if eligible(b) && found.insert(b) {
                        work.extend(self.binders[b].entries.iter().map(|e| e.text_range()));
                    }
                }
            }
        }
        found
    }

    /// The binders reachable from the code in `roots` (through references,
    /// and transitively through the definitions of reachable binders) that
    /// `eligible` accepts and that nothing uses outside `roots` and the
    /// definitions of the returned binders. An `inherit a b;` entry counts
    /// whole: its names are returned together or not at all.
    ///
    /// These are the bindings that can move, or go, together with `roots`.
    pub fn exclusively_used(
        &self,
        roots: &[TextRange],
        eligible: impl Fn(usize) -> bool,
    ) -> BTreeSet<usize> {
        let mut candidates = self.reachable(roots, eligible);
        loop {
            let ranges: Vec<TextRange> = roots
                .iter()
                .copied()
                .chain(
                    candidates
                        .iter()
                        .flat_map(|&b| self.binders[b].entries.iter().map(|e| e.text_range())),
                )
                .collect();
            let inside = |r: TextRange| ranges.iter().any(|m| m.contains_range(r));
            let mut drop: BTreeSet<usize> = candidates
                .iter()
                .copied()
                .filter(|&b| self.uses_of(b).any(|u| !inside(u.range)))
                .collect();
            for &b in &candidates {
                for entry in &self.binders[b].entries {
                    let siblings: Vec<usize> = self
                        .binders
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.entries.contains(entry))
                        .map(|(i, _)| i)
                        .collect();
                    if siblings
                        .iter()
                        .any(|s| !candidates.contains(s) || drop.contains(s))
                    {
                        drop.insert(b);
                        drop.extend(siblings);
                    }
                }
            }
            drop.retain(|b| candidates.contains(b));
            if drop.is_empty() {
                return candidates;
            }
            for b in drop {
                candidates.remove(&b);
            }
        }
    }

    /// The binder `name` resolves to at `offset`: the innermost lexical
    /// binder of that name whose scope contains it (`None`: a builtin, a
    /// `with`, or nothing).
    pub fn resolve_at(&self, name: &str, offset: rnix::TextSize) -> Option<usize> {
        self.binders
            .iter()
            .enumerate()
            .filter(|(_, b)| b.name == name && b.scope.text_range().contains(offset))
            .min_by_key(|(_, b)| b.scope.text_range().len())
            .map(|(i, _)| i)
    }

    /// References that nothing binds: Nix rejects them as undefined variables.
    pub fn unbound(&self) -> impl Iterator<Item = &Reference> {
        self.refs.iter().filter(|r| r.is_unbound())
    }
}

struct Walker {
    index: ScopeIndex,
    frames: Vec<HashMap<String, usize>>,
    withs: Vec<SyntaxNode>,
}

impl Walker {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.frames.iter().rev().find_map(|f| f.get(name).copied())
    }

    fn reference(&mut self, ident: &SyntaxNode) {
        let name = ident.text().to_string();
        let binder = self.lookup(&name);
        self.index.refs.push(Reference {
            name,
            range: ident.text_range(),
            binder,
            withs: self.withs.clone(),
        });
    }

    fn bind(
        &mut self,
        frame: &mut HashMap<String, usize>,
        name: String,
        kind: BinderKind,
        name_range: TextRange,
        entry: SyntaxNode,
        scope: &SyntaxNode,
    ) {
        if let Some(&b) = frame.get(&name) {
            self.index.binders[b].entries.push(entry);
            return;
        }
        self.index.binders.push(Binder {
            name: name.clone(),
            kind,
            name_range,
            entries: vec![entry],
            scope: scope.clone(),
        });
        frame.insert(name, self.index.binders.len() - 1);
    }

    fn expr(&mut self, node: &SyntaxNode) {
        use SyntaxKind::*;
        match node.kind() {
            NODE_IDENT => self.reference(node),
            NODE_LAMBDA => self.lambda(node),
            NODE_LET_IN => self.recursive_set(node, BinderKind::Let),
            NODE_LEGACY_LET => self.recursive_set(node, BinderKind::Rec),
            NODE_ATTR_SET => {
                let is_rec = node.children_with_tokens().any(|t| t.kind() == TOKEN_REC);
                if is_rec {
                    self.recursive_set(node, BinderKind::Rec)
                } else {
                    self.plain_set(node)
                }
            }
            NODE_WITH => {
                let mut children = node.children();
                if let Some(ns) = children.next() {
                    self.expr(&ns);
                }
                self.withs.push(node.clone());
                for body in children {
                    self.expr(&body);
                }
                self.withs.pop();
            }
            NODE_SELECT | NODE_HAS_ATTR => {
                for child in node.children() {
                    if child.kind() == NODE_ATTRPATH {
                        self.attrpath(&child);
                    } else {
                        self.expr(&child);
                    }
                }
            }
            NODE_ATTRPATH => self.attrpath(node),
            _ => {
                for child in node.children() {
                    self.expr(&child);
                }
            }
        }
    }

    /// Only the dynamic parts of an attribute path are expressions.
    fn attrpath(&mut self, path: &SyntaxNode) {
        for attr in path.children() {
            match attr.kind() {
                SyntaxKind::NODE_IDENT => {}
                _ => self.expr(&attr),
            }
        }
    }

    fn lambda(&mut self, node: &SyntaxNode) {
        use SyntaxKind::*;
        let mut frame = HashMap::new();
        let mut defaults = Vec::new();
        let mut body = None;
        for child in node.children() {
            match child.kind() {
                NODE_IDENT_PARAM => {
                    if let Some(id) = child.children().find(|c| c.kind() == NODE_IDENT) {
                        self.bind(
                            &mut frame,
                            id.text().to_string(),
                            BinderKind::Param,
                            id.text_range(),
                            child.clone(),
                            node,
                        );
                    }
                }
                NODE_PATTERN => {
                    for part in child.children() {
                        let Some(id) = part.children().find(|c| c.kind() == NODE_IDENT) else {
                            continue;
                        };
                        match part.kind() {
                            NODE_PAT_ENTRY => {
                                self.bind(
                                    &mut frame,
                                    id.text().to_string(),
                                    BinderKind::Formal,
                                    id.text_range(),
                                    part.clone(),
                                    node,
                                );
                                defaults.extend(part.children().skip(1));
                            }
                            NODE_PAT_BIND => {
                                self.bind(
                                    &mut frame,
                                    id.text().to_string(),
                                    BinderKind::PatternBind,
                                    id.text_range(),
                                    part.clone(),
                                    node,
                                );
                            }
                            _ => {}
                        }
                    }
                }
                _ => body = Some(child),
            }
        }
        self.frames.push(frame);
        for d in defaults {
            self.expr(&d);
        }
        if let Some(b) = body {
            self.expr(&b);
        }
        self.frames.pop();
    }

    /// `let`, `rec { }` and legacy `let { }`: values see every binding.
    fn recursive_set(&mut self, node: &SyntaxNode, kind: BinderKind) {
        use SyntaxKind::*;
        let mut frame = HashMap::new();
        for entry in node.children() {
            match entry.kind() {
                NODE_ATTRPATH_VALUE => {
                    let first = entry
                        .children()
                        .find(|c| c.kind() == NODE_ATTRPATH)
                        .and_then(|p| p.children().next());
                    if let Some(attr) = first {
                        if let Some(name) = static_attr_name(&attr) {
                            self.bind(
                                &mut frame,
                                name,
                                kind,
                                attr.text_range(),
                                entry.clone(),
                                node,
                            );
                        }
                    }
                }
                NODE_INHERIT => {
                    for attr in entry.children().filter(|c| c.kind() != NODE_INHERIT_FROM) {
                        if let Some(name) = static_attr_name(&attr) {
                            self.bind(
                                &mut frame,
                                name,
                                kind,
                                attr.text_range(),
                                entry.clone(),
                                node,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        // `inherit x;` reads `x` from the enclosing scope, not from the set itself.
        for entry in node.children().filter(|c| c.kind() == NODE_INHERIT) {
            self.plain_inherit(&entry);
        }
        self.frames.push(frame);
        for entry in node.children() {
            match entry.kind() {
                NODE_ATTRPATH_VALUE => self.entry_value(&entry),
                NODE_INHERIT => {
                    if let Some(from) = entry.children().find(|c| c.kind() == NODE_INHERIT_FROM) {
                        for e in from.children() {
                            self.expr(&e);
                        }
                    }
                }
                _ => self.expr(&entry),
            }
        }
        self.frames.pop();
    }

    fn plain_set(&mut self, node: &SyntaxNode) {
        use SyntaxKind::*;
        for entry in node.children() {
            match entry.kind() {
                NODE_ATTRPATH_VALUE => self.entry_value(&entry),
                NODE_INHERIT => {
                    self.plain_inherit(&entry);
                    if let Some(from) = entry.children().find(|c| c.kind() == NODE_INHERIT_FROM) {
                        for e in from.children() {
                            self.expr(&e);
                        }
                    }
                }
                _ => self.expr(&entry),
            }
        }
    }

    /// The names of `inherit a b;` (without `(from)`) are references.
    fn plain_inherit(&mut self, entry: &SyntaxNode) {
        if entry
            .children()
            .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
        {
            return;
        }
        for attr in entry.children() {
            if attr.kind() == SyntaxKind::NODE_IDENT {
                self.reference(&attr);
            } else {
                // `inherit "a";` or `inherit ${x};`: interpolations are expressions.
                self.expr(&attr);
            }
        }
    }

    fn entry_value(&mut self, entry: &SyntaxNode) {
        for child in entry.children() {
            if child.kind() == SyntaxKind::NODE_ATTRPATH {
                self.attrpath(&child);
            } else {
                self.expr(&child);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(src: &str) -> Vec<String> {
        let root = rnix::Root::parse(src).syntax();
        let index = ScopeIndex::build(&root);
        let mut names: Vec<String> = index
            .free_in(root.text_range())
            .map(|r| r.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn let_rec_lambda_and_patterns_bind() {
        assert_eq!(free("let a = b; b = 1; in a + c"), ["c"]);
        assert_eq!(free("rec { a = b; b = c; }"), ["c"]);
        assert_eq!(free("{ a = b; b = 1; }"), ["b"]);
        assert_eq!(
            free("{ x, y ? x + z, ... }@args: x + y + args.q + w"),
            ["w", "z"]
        );
        assert_eq!(free("x: x y"), ["y"]);
    }

    #[test]
    fn inherit_reads_the_outer_scope() {
        assert_eq!(free("let inherit a; in a"), ["a"]);
        assert_eq!(
            free("let inherit (s) a; s = {}; in a"),
            Vec::<String>::new()
        );
        assert_eq!(
            free("rec { inherit (lib) b; lib = {}; }"),
            Vec::<String>::new()
        );
        assert_eq!(free("{ inherit a; inherit (b) c; }"), ["a", "b"]);
    }

    #[test]
    fn attribute_names_are_not_references() {
        assert_eq!(free("x.y.${z} or w"), ["w", "x", "z"]);
        assert_eq!(free("{ a.b = 1; ${k} = 2; \"q${v}\" = 3; }"), ["k", "v"]);
        assert_eq!(free("s ? a.b"), ["s"]);
    }

    #[test]
    fn with_is_recorded_and_lexical_wins() {
        let src = "p: with p; [ p a ]";
        let root = rnix::Root::parse(src).syntax();
        let index = ScopeIndex::build(&root);
        let a = index.refs.iter().find(|r| r.name == "a").unwrap();
        assert!(a.binder.is_none());
        assert_eq!(a.withs.len(), 1);
        assert!(!a.is_unbound());
        let p = index.refs.iter().rev().find(|r| r.name == "p").unwrap();
        assert!(p.binder.is_some());
    }

    #[test]
    fn unbound_excludes_builtins() {
        let root = rnix::Root::parse("map toString [ true x __add ]").syntax();
        let index = ScopeIndex::build(&root);
        let unbound: Vec<_> = index.unbound().map(|r| r.name.as_str()).collect();
        assert_eq!(unbound, ["x"]);
    }

    #[test]
    fn interpolations_in_strings_and_paths() {
        assert_eq!(free("''${a} \"${b}\"'' + ./x/${c}.nix"), ["a", "b", "c"]);
        assert_eq!(free("\"${a}\""), ["a"]);
    }
}
