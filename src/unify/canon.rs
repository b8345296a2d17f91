//! Canonical modules: one text per attribute set that the module system
//! reads the same way.
//!
//! The module system (like Nix itself) merges `a.b = 1;` with `a = { c =
//! 2; };`, and `inherit x;` is `x = x;`. [`canonical_set`] rewrites an
//! attribute set into its canonical text: every static attribute path
//! nested (`a = { b = 1; c = 2; };`), sets defined over several entries
//! merged, `inherit` expanded into bindings (`x = x;`, `y = (from).y;`).
//! Values that are not plain sets (leaves) are copied with their own text,
//! comments included, their lines shifted without changing any string.
//! Two sets with equal canonical texts (compared with
//! [`super::equal_modulo_trivia`]) define the same attributes: that is how
//! anti-unification compares dotted and nested Home Manager blocks, and how
//! the proof of `extract-home-manager` compares a block with its rewrite.
//!
//! Every piece of canonical text keeps where it came from
//! ([`Canonical::origin`]), so differences found on the canonical text can be
//! reported at their place in the original file.
//!
//! Refused (`None`): `rec` sets at the top, entries that define a leaf and a
//! set at the same path (Nix rejects them too), dynamic keys followed by
//! more attributes (`${a}.b = 1;`), and syntax errors.

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::syntax::indent::{shift_range, Shift};
use crate::syntax::{attr_value, is_plain_set, line_indent, make, static_attr_name, unparen};

/// The canonical text of a set, parsed, with a map back to the original.
#[derive(Debug, Clone)]
pub struct Canonical {
    /// The canonical text (an attribute set expression).
    pub text: String,
    /// Its parse.
    pub root: SyntaxNode,
    /// (range in `text`, offset in the original file, whether the range is a
    /// leaf copied verbatim): the piece each range came from.
    map: Vec<(TextRange, TextSize, bool)>,
}

impl Canonical {
    /// The attribute set expression of the canonical text.
    pub fn set(&self) -> SyntaxNode {
        super::eq::expr_of(&self.root)
    }

    /// Where the canonical node at `range` came from in the original file:
    /// inside a copied leaf, the same place; otherwise the entry it came from.
    pub fn origin(&self, range: TextRange) -> Option<TextSize> {
        self.map
            .iter()
            .filter(|(r, _, _)| r.contains_range(range) || r.start() == range.start())
            .min_by_key(|(r, _, _)| r.len())
            .map(|(r, at, leaf)| {
                if *leaf && range.start() >= r.start() {
                    *at + (range.start() - r.start())
                } else {
                    *at
                }
            })
    }
}

/// A key of a canonical set.
#[derive(Debug, Clone)]
enum Key {
    /// A static name (also `"name"`, `${"name"}`).
    Static(String),
    /// A string with interpolation (`"${user}"`, `${"a-${x}"}`), written as
    /// the string.
    Str(SyntaxNode),
    /// `${e}` where `e` is not a string literal, written `${e}`.
    Interp(SyntaxNode),
}

impl Key {
    fn of(attr: &SyntaxNode) -> Key {
        if let Some(n) = static_attr_name(attr) {
            return Key::Static(n);
        }
        if attr.kind() == SyntaxKind::NODE_DYNAMIC {
            if let Some(e) = attr.children().next().map(unparen) {
                if e.kind() == SyntaxKind::NODE_STRING {
                    // `${"..."}` is the string `"..."`.
                    return match static_attr_name(&e) {
                        Some(n) => Key::Static(n),
                        None => Key::Str(e),
                    };
                }
                return Key::Interp(e);
            }
        }
        Key::Str(attr.clone())
    }

    fn same(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Static(a), Key::Static(b)) => a == b,
            (Key::Str(a), Key::Str(b)) | (Key::Interp(a), Key::Interp(b)) => super::eq::eq(a, b),
            _ => false,
        }
    }
}

/// The expression an attribute name stands for when it is not static, as
/// an argument would pass it: `user` for `${user}`, `"${user}"` for
/// `"${user}"` (a string), `None` for a static name.
pub fn dynamic_name_value(attr: &SyntaxNode) -> Option<SyntaxNode> {
    if static_attr_name(attr).is_some() {
        return None;
    }
    match attr.kind() {
        SyntaxKind::NODE_DYNAMIC => attr.children().next().map(unparen),
        SyntaxKind::NODE_STRING => Some(attr.clone()),
        _ => None,
    }
}

#[derive(Debug, Clone)]
enum Tree {
    /// A value copied as it is.
    Leaf(SyntaxNode),
    /// `inherit (from) name;` expanded: `name = from.name;` (or `name = name;`).
    Inherited {
        from: Option<SyntaxNode>,
        name: String,
    },
    /// A set, and whether an entry defined it whole (`a = { ... };`).
    Set(Vec<(Key, Tree, TextSize)>, bool),
}

/// The canonical text of `set`, or `None` for the shapes this module does not handle.
pub fn canonical_set(set: &SyntaxNode) -> Option<Canonical> {
    canonical_with(set, &[])
}

/// [`canonical_set`], with the keys at these attribute paths written as
/// `${marker}` (the anti-unification of Home Manager users under
/// different names): `(path of the set holding the key, marker name)`.
pub fn canonical_with(set: &SyntaxNode, markers: &[(Vec<String>, String)]) -> Option<Canonical> {
    let set = unparen(set.clone());
    if !is_plain_set(&set) {
        return None;
    }
    let mut items = Vec::new();
    add_entries(&set, &mut items)?;
    for (path, marker) in markers {
        mark(&mut items, path, marker)?;
    }
    let root_node = set.ancestors().last().unwrap_or_else(|| set.clone());
    let mut w = Writer {
        root: root_node,
        text: String::new(),
        map: Vec::new(),
    };
    w.set(&items, 0, set.text_range().start());
    let parsed = rnix::Root::parse(&w.text);
    if !parsed.errors().is_empty() {
        return None;
    }
    Some(Canonical {
        text: w.text,
        root: parsed.syntax(),
        map: w.map,
    })
}

/// The key of the only entry of the set at `path`, when that set has exactly
/// one entry (Home Manager's `users` with one user).
pub fn single_key_at(set: &SyntaxNode, path: &[String]) -> Option<SyntaxNode> {
    let set = unparen(set.clone());
    let mut items = Vec::new();
    add_entries(&set, &mut items)?;
    let mut level = &items;
    for p in path {
        let (_, tree, _) = level
            .iter()
            .find(|(k, _, _)| matches!(k, Key::Static(n) if n == p))?;
        match tree {
            Tree::Set(inner, _) => level = inner,
            _ => return None,
        }
    }
    match level.as_slice() {
        [_] => {
            // The attribute node itself, for its text and place.
            first_attr_named(&set, path, &level[0].0)
        }
        _ => None,
    }
}

/// The original attribute node of `key` under `path` (searched through
/// dotted and nested entries).
fn first_attr_named(set: &SyntaxNode, path: &[String], key: &Key) -> Option<SyntaxNode> {
    fn walk(set: &SyntaxNode, prefix: &[String], path: &[String], key: &Key) -> Option<SyntaxNode> {
        for entry in set
            .children()
            .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        {
            let attrs: Vec<SyntaxNode> = entry
                .children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?
                .children()
                .collect();
            let mut full: Vec<String> = prefix.to_vec();
            for (i, a) in attrs.iter().enumerate() {
                if full.len() == path.len() && full == path {
                    if Key::of(a).same(key) {
                        return Some(a.clone());
                    }
                    break;
                }
                match static_attr_name(a) {
                    Some(n) => full.push(n),
                    None => break,
                }
                if i + 1 == attrs.len() && path.starts_with(&full) {
                    let value = attr_value(&entry).map(unparen)?;
                    if is_plain_set(&value) {
                        if let Some(found) = walk(&value, &full, path, key) {
                            return Some(found);
                        }
                    }
                }
            }
        }
        None
    }
    walk(set, &[], path, key)
}

fn add_entries(set: &SyntaxNode, items: &mut Vec<(Key, Tree, TextSize)>) -> Option<()> {
    for child in set.children() {
        match child.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                let attrs: Vec<SyntaxNode> = child
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?
                    .children()
                    .collect();
                let value = attr_value(&child)?;
                insert(items, &attrs, &value, child.text_range().start())?;
            }
            SyntaxKind::NODE_INHERIT => {
                let from = child
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
                    .and_then(|f| f.children().next());
                for attr in child
                    .children()
                    .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                {
                    let name = static_attr_name(&attr)?;
                    if items
                        .iter()
                        .any(|(k, _, _)| matches!(k, Key::Static(n) if *n == name))
                    {
                        return None;
                    }
                    items.push((
                        Key::Static(name.clone()),
                        Tree::Inherited {
                            from: from.clone(),
                            name,
                        },
                        attr.text_range().start(),
                    ));
                }
            }
            _ => return None,
        }
    }
    Some(())
}

fn insert(
    items: &mut Vec<(Key, Tree, TextSize)>,
    attrs: &[SyntaxNode],
    value: &SyntaxNode,
    at: TextSize,
) -> Option<()> {
    let (first, rest) = attrs.split_first()?;
    let key = Key::of(first);
    if !matches!(key, Key::Static(_)) && !rest.is_empty() {
        return None;
    }
    let existing = items.iter().position(|(k, _, _)| k.same(&key));
    let inner = unparen(value.clone());
    let expands = !rest.is_empty() || is_plain_set(&inner);
    if !expands {
        if existing.is_some() {
            return None;
        }
        items.push((key, Tree::Leaf(value.clone()), at));
        return Some(());
    }
    let idx = match existing {
        Some(i) => i,
        None => {
            items.push((key, Tree::Set(Vec::new(), false), at));
            items.len() - 1
        }
    };
    let Tree::Set(sub, direct) = &mut items[idx].1 else {
        return None;
    };
    if rest.is_empty() {
        // `a = { ... }; a = { ... };` is an error in Nix: refused, never
        // merged into a value.
        if *direct {
            return None;
        }
        *direct = true;
        add_entries(&inner, sub)
    } else {
        insert(sub, rest, value, at)
    }
}

fn mark(items: &mut [(Key, Tree, TextSize)], path: &[String], marker: &str) -> Option<()> {
    match path.split_first() {
        None => {
            if items.len() != 1 {
                return None;
            }
            let text = format!("${{{marker}}}");
            let parsed = rnix::Root::parse(&format!("{{ {text} = 1; }}"));
            let attr = parsed
                .syntax()
                .descendants()
                .find(|n| n.kind() == SyntaxKind::NODE_ATTRPATH)?
                .first_child()?;
            items[0].0 = Key::of(&attr);
            Some(())
        }
        Some((head, rest)) => {
            let (_, tree, _) = items
                .iter_mut()
                .find(|(k, _, _)| matches!(k, Key::Static(n) if n == head))?;
            match tree {
                Tree::Set(sub, _) => mark(sub, rest, marker),
                _ => None,
            }
        }
    }
}

struct Writer {
    root: SyntaxNode,
    text: String,
    map: Vec<(TextRange, TextSize, bool)>,
}

const UNIT: &str = "  ";

impl Writer {
    fn pos(&self) -> TextSize {
        TextSize::of(self.text.as_str())
    }

    fn set(&mut self, items: &[(Key, Tree, TextSize)], depth: usize, at: TextSize) {
        let start = self.pos();
        if items.is_empty() {
            self.text.push_str("{ }");
        } else {
            self.text.push_str("{\n");
            let inner = UNIT.repeat(depth + 1);
            for (key, tree, origin) in items {
                let entry_start = self.pos();
                self.text.push_str(&inner);
                match key {
                    Key::Static(n) => self.text.push_str(&make::attr_name(n)),
                    Key::Interp(e) => {
                        self.text.push_str("${");
                        self.text.push_str(&e.text().to_string());
                        self.text.push('}');
                    }
                    Key::Str(a) => self.text.push_str(&a.text().to_string()),
                }
                self.text.push_str(" = ");
                match tree {
                    Tree::Leaf(v) => {
                        let original = self.root.text().to_string();
                        let line = line_indent(&original, usize::from(v.text_range().start()));
                        let shifted = shift_range(
                            &self.root,
                            v.text_range(),
                            Shift {
                                remove: line,
                                add: &inner,
                            },
                        );
                        let lo = self.pos();
                        self.text.push_str(&shifted);
                        let hi = self.pos();
                        self.map
                            .push((TextRange::new(lo, hi), v.text_range().start(), true));
                        if v.last_token()
                            .is_some_and(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
                        {
                            self.text.push('\n');
                            self.text.push_str(&inner);
                        }
                    }
                    Tree::Inherited { from, name } => {
                        let lo = self.pos();
                        match from {
                            Some(f) => {
                                self.text.push('(');
                                self.text.push_str(&f.text().to_string());
                                self.text.push_str(").");
                                self.text.push_str(&make::attr_name(name));
                            }
                            None => self.text.push_str(name),
                        }
                        let hi = self.pos();
                        self.map.push((TextRange::new(lo, hi), *origin, false));
                    }
                    Tree::Set(sub, _) => self.set(sub, depth + 1, *origin),
                }
                self.text.push_str(";\n");
                let end = self.pos();
                self.map
                    .push((TextRange::new(entry_start, end), *origin, false));
            }
            self.text.push_str(&UNIT.repeat(depth));
            self.text.push('}');
        }
        let end = self.pos();
        self.map.push((TextRange::new(start, end), at, false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unify::equal_modulo_trivia;

    fn canon(text: &str) -> Canonical {
        let root = rnix::Root::parse(text).syntax();
        canonical_set(&root.first_child().unwrap()).expect("canonical")
    }

    fn same(a: &str, b: &str) -> bool {
        equal_modulo_trivia(&canon(a).set(), &canon(b).set())
    }

    #[test]
    fn dotted_and_nested_are_the_same() {
        assert!(same(
            "{ home-manager = { useGlobalPkgs = true; users.alice = import ./a.nix; }; }",
            "{ home-manager.useGlobalPkgs = true;\n  home-manager.users = { alice = import ./a.nix; }; }"
        ));
        assert!(!same(
            "{ home-manager.useGlobalPkgs = true; }",
            "{ home-manager.useGlobalPkgs = false; }"
        ));
        assert!(same(
            "{ a = { inherit inputs; inherit (x) y; }; }",
            "{ a.inputs = inputs; a.y = x.y; }"
        ));
        assert!(same("{ \"a\".b = 1; }", "{ a = { \"b\" = 1; }; }"));
    }

    #[test]
    fn leaves_keep_text_and_origin() {
        let src = "{\n  a.b = [\n    ./x # here\n  ];\n}";
        let c = canon(src);
        assert!(c.text.contains("# here"), "{}", c.text);
        let list = c
            .root
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_LIST)
            .unwrap();
        assert_eq!(
            c.origin(list.text_range()),
            Some(TextSize::from(src.find('[').unwrap() as u32))
        );
    }

    #[test]
    fn conflicts_and_rec_are_refused() {
        let root = rnix::Root::parse("{ a = 1; a.b = 2; }").syntax();
        assert!(canonical_set(&root.first_child().unwrap()).is_none());
        // Defined whole twice: an error in Nix, not a merge.
        let root = rnix::Root::parse("{ a = { b = 1; }; a = { c = 2; }; }").syntax();
        assert!(canonical_set(&root.first_child().unwrap()).is_none());
        let root = rnix::Root::parse("{ a.b = 1; a = { c = 2; }; a.d = 3; }").syntax();
        assert!(canonical_set(&root.first_child().unwrap()).is_some());
        let root = rnix::Root::parse("rec { a = 1; }").syntax();
        assert!(canonical_set(&root.first_child().unwrap()).is_none());
    }

    #[test]
    fn dynamic_keys() {
        assert!(same("{ ${\"a\"} = 1; }", "{ a = 1; }"));
        assert!(same("{ ${(u)} = 1; }", "{ ${u} = 1; }"));
        assert!(same("{ ${\"x-${u}\"} = 1; }", "{ \"x-${u}\" = 1; }"));
        // `"${u}"` is a string; `${u}` is whatever `u` is.
        assert!(!same("{ \"${u}\" = 1; }", "{ ${u} = 1; }"));
    }

    #[test]
    fn markers_replace_the_single_user() {
        let root =
            rnix::Root::parse("{ home-manager.users.\"first.last\".imports = [ ./a ]; }").syntax();
        let set = root.first_child().unwrap();
        let key = single_key_at(&set, &["home-manager".into(), "users".into()]).unwrap();
        assert_eq!(key.text(), "\"first.last\"");
        let c = canonical_with(
            &set,
            &[(vec!["home-manager".into(), "users".into()], "user".into())],
        )
        .unwrap();
        assert!(c.text.contains("${user} = {"), "{}", c.text);
    }
}
