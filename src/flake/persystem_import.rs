//! Per-system outputs whose generator call is written in another file (a
//! split flake): `devShells = import ./devshells { inherit forAllSystems
//! pkgsFor; };` with `devshells/default.nix` holding `{ forAllSystems,
//! pkgsFor, ... }: forAllSystems (system: BODY)`.
//!
//! Such a file can become a flake-parts module in place: the generator
//! call (and only it) becomes `{ perSystem = { system, ... }: { devShells
//! = BODY; }; }`, so BODY keeps reading the file's arguments and `let`
//! bindings lexically, and flake.nix lists `(import ./devshells { ... })`
//! in mkFlake's `imports`. [`Flake::imported_generator`] says whether that
//! is safe, and why not; [`Flake::imported_body_text`] renders BODY.

use std::path::PathBuf;

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::eval::{FileId, Val, Whnf};
use super::persystem::PerSystemOutput;
use super::Flake;
use crate::syntax::edit::{Edit, EditSet};
use crate::syntax::indent::{shift_edits, Shift};
use crate::syntax::{self, unparen};

/// A per-system output made by a `genAttrs` call written in another file.
#[derive(Debug, Clone)]
pub struct ImportedGenerator {
    /// The file holding the call, and its path.
    pub file: FileId,
    pub path: PathBuf,
    /// The output's value in flake.nix: `import ./devshells { ... }`.
    pub import: SyntaxNode,
    /// The generator call in the file (`forAllSystems (system: BODY)`),
    /// which the module replaces.
    pub call: SyntaxNode,
    /// BODY and the parameter meaning the system.
    pub body: SyntaxNode,
    pub param: TextRange,
}

impl Flake {
    /// The generator of `o` when it is written in another file that can
    /// become a flake-parts module (see the module docs), or why not;
    /// `None` when `o` is not `name = import ./file ...;`.
    pub fn imported_generator(
        &self,
        o: &PerSystemOutput,
    ) -> Option<Result<ImportedGenerator, String>> {
        let [entry] = o.entries.as_slice() else {
            return None;
        };
        if syntax::attrpath_names(entry).as_deref() != Some(std::slice::from_ref(&o.name)) {
            return None;
        }
        let value = syntax::attr_value(entry)?;
        let import = unparen(value.clone());
        let path_node = import_path(&import)?;
        Some(self.imported_generator_of(value, import, path_node))
    }

    fn imported_generator_of(
        &self,
        value: SyntaxNode,
        import: SyntaxNode,
        path_node: SyntaxNode,
    ) -> Result<ImportedGenerator, String> {
        let import_ident = import
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_IDENT)
            .ok_or("not an import")?;
        if self
            .scope
            .reference_at(import_ident.text_range())
            .is_some_and(|r| r.binder.is_some())
        {
            return Err("`import` is rebound".into());
        }
        let Whnf::Call { function, args, .. } = self.resolve(&self.val(value.clone())) else {
            return Err("the imported file does not make it with `genAttrs`".into());
        };
        if !function.is_function("genAttrs") || args.len() != 2 {
            return Err("the imported file does not make it with `genAttrs`".into());
        }
        let f = &args[1];
        if f.file == 0 {
            return Err(
                "its generator wraps the file's function in flake.nix (a pkgs-first `f: genAttrs LIST (s: f ...)`), so that function is not given the system"
                    .into(),
            );
        }
        let fnode = unparen(f.node.clone());
        let param = fnode
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_IDENT_PARAM)
            .and_then(|p| p.first_child())
            .map(|p| p.text_range())
            .ok_or("a per-system function with a pattern")?;
        let body = unparen(fnode.children().last().ok_or("incomplete")?);
        let src = self.src(f.file);
        let path = src.path().to_path_buf();
        // The file's expression: `ARGS: [let ... in] CALL`.
        let root = src.file().root.clone();
        let mut expr = match root.kind() {
            SyntaxKind::NODE_ROOT => root.first_child().ok_or("an empty file")?,
            _ => root,
        };
        expr = unparen(expr);
        if expr.kind() == SyntaxKind::NODE_LAMBDA {
            expr = unparen(expr.children().last().ok_or("incomplete")?);
        }
        while expr.kind() == SyntaxKind::NODE_LET_IN {
            expr = unparen(expr.children().last().ok_or("incomplete")?);
        }
        let call = expr;
        if call.kind() != SyntaxKind::NODE_APPLY
            || call.children().nth(1).map(unparen).as_ref() != Some(&fnode)
        {
            return Err(format!(
                "{} is not a generator call (`forAllSystems (system: ...)`) under the file's arguments and `let`",
                src.path().display()
            ));
        }
        // Comments of the call outside BODY would be lost.
        if call
            .descendants_with_tokens()
            .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
            .any(|t| !body.text_range().contains_range(t.text_range()))
        {
            return Err(format!(
                "a comment in {} around the per-system function would be lost",
                src.path().display()
            ));
        }
        // perSystem binds `system`: BODY may read no other `system`, nor
        // bind one of its own when its parameter has another name.
        let scope = src.scope();
        let param_binder = scope.binder_named_at(param);
        for r in scope.free_in(body.text_range()) {
            if r.name == "system" && (r.binder.is_none() || r.binder != param_binder) {
                return Err(format!(
                    "its per-system function reads a `system` bound outside it, in {}",
                    src.path().display()
                ));
            }
        }
        if &src.file().text[param] != "system"
            && scope
                .binders
                .iter()
                .any(|b| b.name == "system" && body.text_range().contains_range(b.name_range))
        {
            return Err("its per-system function binds a `system` of its own".into());
        }
        // Nothing else may read the file: its value changes.
        let (mut uses, mut own) = (0, false);
        for id in self.program_files() {
            let s = self.src(id);
            for n in s
                .file()
                .root
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL)
            {
                let v = Val {
                    file: id,
                    node: n.clone(),
                    env: Default::default(),
                };
                if let Some(p) = self.path_value(&v) {
                    if p == path || p.join("default.nix") == path {
                        uses += 1;
                        own |= id == 0 && n == path_node;
                    }
                }
            }
        }
        if uses != 1 || !own {
            return Err(format!(
                "{} is read elsewhere too, which would then get a flake-parts module",
                src.path().display()
            ));
        }
        Ok(ImportedGenerator {
            file: f.file,
            path,
            import,
            call,
            body,
            param,
        })
    }

    /// BODY of `g` as the value of a binding that starts a line indented by
    /// `to` (the call's line was indented by `from`), its parameter written
    /// `system`: like [`Flake::system_value_text`], in the imported file.
    pub fn imported_body_text(
        &self,
        g: &ImportedGenerator,
        from: &str,
        to: &str,
        extra: &[Edit],
    ) -> String {
        let src = self.src(g.file);
        let text = src.file().text.as_str();
        let mut set = EditSet::new();
        for e in extra {
            let _ = set.add(e.clone());
        }
        if &text[g.param] != "system" {
            if let Some(b) = src.scope().binder_named_at(g.param) {
                for r in src.scope().uses_of(b) {
                    if g.body.text_range().contains_range(r.range)
                        && !extra.iter().any(|e| e.range.contains_range(r.range))
                    {
                        let _ = set.add(Edit::replace(r.range, "system"));
                    }
                }
            }
        }
        let node = &g.body;
        let root = &src.file().root;
        let start = usize::from(node.text_range().start());
        let own_line = syntax::starts_line(text, start);
        let render = |from: &str| {
            let mut set = set.clone();
            for e in shift_edits(
                root,
                node.text_range(),
                Shift {
                    remove: from,
                    add: to,
                },
            ) {
                let _ = set.add(e);
            }
            set.apply_within(text, TextSize::from(0), node.text_range())
        };
        let body = render(from);
        if own_line {
            let indent = syntax::line_indent(text, start);
            let rest = indent.strip_prefix(from).unwrap_or(indent.trim_start());
            if body.starts_with(['{', '[']) {
                return render(&format!("{from}{rest}"));
            }
            format!("\n{to}{rest}{body}")
        } else {
            body
        }
    }

    /// The text of the imported file of `g`.
    pub fn imported_text(&self, g: &ImportedGenerator) -> String {
        self.src(g.file).file().text.clone()
    }
}

/// The path of `import PATH` or `import PATH ARGS`.
fn import_path(node: &SyntaxNode) -> Option<SyntaxNode> {
    if node.kind() != SyntaxKind::NODE_APPLY {
        return None;
    }
    let head = unparen(node.first_child()?);
    let (f, arg) = if head.kind() == SyntaxKind::NODE_APPLY {
        (unparen(head.first_child()?), head.children().nth(1)?)
    } else {
        (head, node.children().nth(1)?)
    };
    (f.kind() == SyntaxKind::NODE_IDENT && f.text() == "import")
        .then(|| unparen(arg))
        .filter(|p| p.kind() == SyntaxKind::NODE_PATH_REL)
}

/// An argument the imported file took only for its generator call
/// (`forAllSystems`): once the call is a module, the file's formal and the
/// name in flake.nix's `inherit` of the import's arguments go.
#[derive(Debug, Clone)]
pub struct DeadArgument {
    pub name: String,
    /// The formal in the file, with its comma and the space after it.
    pub formal: TextRange,
    /// What goes of flake.nix's `inherit` (this name and the space next
    /// to it, or a run of consecutive names given to its first one).
    pub inherited: Option<TextRange>,
    /// The name's node in flake.nix.
    pub ident: SyntaxNode,
}

impl Flake {
    /// The path of `g`'s import when `dead` are all its arguments (the
    /// file then takes `{ ... }` and is a module by itself): `imports`
    /// lists `./devshells` rather than a call.
    pub fn imported_as_path(
        &self,
        g: &ImportedGenerator,
        dead: &[DeadArgument],
    ) -> Option<SyntaxNode> {
        if dead.is_empty() || dead.iter().any(|d| d.inherited.is_some()) {
            return None;
        }
        let args = import_args(&g.import)?;
        let names: Vec<SyntaxNode> = args.children().next()?.children().collect();
        (names.len() == dead.len() && names.iter().all(|n| dead.iter().any(|d| &d.ident == n)))
            .then(|| import_path(&g.import))
            .flatten()
    }

    /// The arguments of `g`'s file that only its generator call reads
    /// (outside BODY), passed by a plain `inherit` of several names in
    /// flake.nix: those that can go with the call.
    /// Uses inside `gone` (code the codemod replaces) do not count.
    pub fn imported_dead_arguments(
        &self,
        g: &ImportedGenerator,
        gone: &[TextRange],
    ) -> Vec<DeadArgument> {
        let mut out = Vec::new();
        let Some(args) = import_args(&g.import) else {
            return out;
        };
        let src = self.src(g.file);
        let root = src.file().root.clone();
        let Some(lambda) = (match root.kind() {
            SyntaxKind::NODE_ROOT => root.first_child(),
            _ => Some(root),
        })
        .map(unparen)
        .filter(|l| l.kind() == SyntaxKind::NODE_LAMBDA) else {
            return out;
        };
        let Some(pattern) = lambda
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)
        else {
            return out;
        };
        if pattern
            .children()
            .any(|c| c.kind() == SyntaxKind::NODE_PAT_BIND)
        {
            return out;
        }
        let scope = src.scope();
        for entry in pattern
            .children()
            .filter(|c| c.kind() == SyntaxKind::NODE_PAT_ENTRY)
        {
            let Some(name) = entry.first_child() else {
                continue;
            };
            if entry.children().count() != 1 {
                continue; // a default
            }
            let Some(b) = scope.binder_named_at(name.text_range()) else {
                continue;
            };
            let uses: Vec<TextRange> = scope.uses_of(b).map(|r| r.range).collect();
            let only_the_call = !uses.is_empty()
                && uses
                    .iter()
                    .filter(|r| !gone.iter().any(|x| x.contains_range(**r)))
                    .all(|r| {
                        g.call.text_range().contains_range(*r)
                            && !g.body.text_range().contains_range(*r)
                    });
            if !only_the_call {
                continue;
            }
            let Some(formal) = formal_removal(&entry) else {
                continue;
            };
            if out
                .iter()
                .any(|d: &DeadArgument| d.formal.intersect(formal).is_some_and(|r| !r.is_empty()))
            {
                continue;
            }
            let text = name.text().to_string();
            let Some(ident) = inherited_ident(&args, &text) else {
                continue;
            };
            out.push(DeadArgument {
                name: text,
                formal,
                inherited: None,
                ident,
            });
        }
        // Every argument goes, and the file takes `{ ... }`: it is a
        // module by itself (see [`Flake::imported_as_path`]).
        let entries = pattern
            .children()
            .filter(|c| c.kind() == SyntaxKind::NODE_PAT_ENTRY)
            .count();
        let ellipsis = pattern
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_ELLIPSIS);
        let only_inherit: Vec<SyntaxNode> = args.children().collect();
        if ellipsis
            && entries == out.len()
            && only_inherit.len() == 1
            && only_inherit[0].children().count() == out.len()
            && !args
                .children_with_tokens()
                .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
        {
            return out;
        }
        // Per `inherit`: one name at least stays (the last dead one is
        // kept when all would go), and each run of consecutive names goes
        // as one range.
        let inherits: Vec<SyntaxNode> = {
            let mut v: Vec<SyntaxNode> = out.iter().filter_map(|d| d.ident.parent()).collect();
            v.dedup();
            v
        };
        for inherit in inherits {
            let names: Vec<SyntaxNode> = inherit.children().collect();
            let is_dead = |n: &SyntaxNode, out: &[DeadArgument]| out.iter().any(|d| &d.ident == n);
            if names.iter().all(|n| is_dead(n, &out)) {
                if let Some(last) = names.last() {
                    out.retain(|d| &d.ident != last);
                }
            }
            let mut i = 0;
            while i < names.len() {
                if !is_dead(&names[i], &out) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < names.len() && is_dead(&names[i], &out) {
                    i += 1;
                }
                // names[start..i] go.
                let range = match names.get(i) {
                    Some(next) => {
                        TextRange::new(names[start].text_range().start(), next.text_range().start())
                    }
                    None if start > 0 => TextRange::new(
                        names[start - 1].text_range().end(),
                        names[i - 1].text_range().end(),
                    ),
                    None => continue,
                };
                if let Some(d) = out.iter_mut().find(|d| d.ident == names[start]) {
                    d.inherited = Some(range);
                }
            }
        }
        out
    }
}

/// The argument set of `import PATH { ... }` (plain, not `rec`).
fn import_args(import: &SyntaxNode) -> Option<SyntaxNode> {
    let head = unparen(import.first_child()?);
    if head.kind() != SyntaxKind::NODE_APPLY {
        return None;
    }
    let args = unparen(import.children().nth(1)?);
    (args.kind() == SyntaxKind::NODE_ATTR_SET
        && !args
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_REC))
    .then_some(args)
}

/// A formal with the comma after it, up to what follows, or, the last
/// one, with the comma before it (no comment in between).
fn formal_removal(entry: &SyntaxNode) -> Option<TextRange> {
    let mut next = entry.next_sibling_or_token();
    let mut comma = false;
    while let Some(t) = next {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE => {}
            SyntaxKind::TOKEN_COMMA if !comma => comma = true,
            SyntaxKind::TOKEN_COMMENT => return None,
            _ if comma => {
                return Some(TextRange::new(
                    entry.text_range().start(),
                    t.text_range().start(),
                ))
            }
            SyntaxKind::TOKEN_R_BRACE => break,
            _ => return None,
        }
        next = t.next_sibling_or_token();
    }
    // The last formal: `{ a, b }` loses `, b`.
    let mut prev = entry.prev_sibling_or_token();
    while let Some(t) = prev {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE => {}
            SyntaxKind::TOKEN_COMMA => {
                return Some(TextRange::new(
                    t.text_range().start(),
                    entry.text_range().end(),
                ))
            }
            _ => return None,
        }
        prev = t.prev_sibling_or_token();
    }
    None
}

/// `name` in a plain `inherit a name b;` of `args` with other names and
/// no comment.
fn inherited_ident(args: &SyntaxNode, name: &str) -> Option<SyntaxNode> {
    let inherit = args.children().find(|c| {
        c.kind() == SyntaxKind::NODE_INHERIT
            && !c
                .children()
                .any(|x| x.kind() == SyntaxKind::NODE_INHERIT_FROM)
            && c.children().any(|x| x.text() == name)
    })?;
    if inherit.children().count() < 2
        || inherit
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        return None;
    }
    inherit.children().find(|x| x.text() == name)
}

impl Flake {
    /// Edits in `g`'s file that make BODY read perSystem's `pkgs` where it
    /// reads the flake's shared instantiation for the system (which
    /// flake.nix sets as `_module.args.pkgs`), passed to the file under its
    /// name (`inherit pkgsFor;`, the file's formal `pkgsFor`): `let pkgs =
    /// pkgsFor system; in REST` (its only binding) becomes REST, `(pkgsFor
    /// system).hello` becomes `pkgs.hello`. Empty when BODY reads a `pkgs`
    /// from outside it (perSystem's would hide it), or nothing matches.
    pub fn imported_pkgs_edits(
        &self,
        g: &ImportedGenerator,
        shared: &super::persystem::SharedPkgs,
    ) -> Vec<Edit> {
        let none = Vec::new();
        let Some(outputs) = &self.outputs else {
            return none;
        };
        let Some(args) = import_args(&g.import) else {
            return none;
        };
        // flake.nix passes the shared binding itself, by name.
        let passed = args
            .children()
            .filter(|c| {
                c.kind() == SyntaxKind::NODE_INHERIT
                    && !c
                        .children()
                        .any(|x| x.kind() == SyntaxKind::NODE_INHERIT_FROM)
            })
            .flat_map(|c| c.children().collect::<Vec<_>>())
            .any(|ident| {
                ident.text() == shared.name.as_str()
                    && self
                        .scope
                        .reference_at(ident.text_range())
                        .and_then(|r| r.binder)
                        .is_some_and(|b| outputs.lets.contains(&self.scope.binders[b].scope))
            });
        if !passed {
            return none;
        }
        let src = self.src(g.file);
        let scope = src.scope();
        let text = src.file().text.as_str();
        // The file's formal of that name.
        let Some(formal) = scope.binders.iter().position(|b| {
            b.name == shared.name
                && b.kind == crate::scope::BinderKind::Formal
                && b.scope.text_range().contains_range(g.call.text_range())
        }) else {
            return none;
        };
        let Some(system) = scope.binder_named_at(g.param) else {
            return none;
        };
        if scope.free_in(g.body.text_range()).any(|r| r.name == "pkgs") {
            return none;
        }
        let is = |node: &SyntaxNode, b: usize| -> bool {
            let node = unparen(node.clone());
            node.kind() == SyntaxKind::NODE_IDENT
                && scope.reference_at(node.text_range()).and_then(|r| r.binder) == Some(b)
        };
        let matches = |n: &SyntaxNode| -> bool {
            match n.kind() {
                SyntaxKind::NODE_APPLY if shared.function => {
                    let (Some(f), Some(a)) = (n.children().next(), n.children().nth(1)) else {
                        return false;
                    };
                    is(&f, formal) && is(&a, system)
                }
                SyntaxKind::NODE_SELECT if !shared.function => {
                    let (Some(set), Some(path)) = (n.children().next(), n.children().nth(1)) else {
                        return false;
                    };
                    let attrs: Vec<SyntaxNode> = path.children().collect();
                    is(&set, formal)
                        && attrs.len() == 1
                        && attrs[0].kind() == SyntaxKind::NODE_DYNAMIC
                        && attrs[0].children().next().is_some_and(|i| is(&i, system))
                        && !n
                            .children_with_tokens()
                            .any(|t| t.kind() == SyntaxKind::TOKEN_OR)
                }
                _ => false,
            }
        };
        let body = &g.body;
        let mut edits = Vec::new();
        let mut dropped: Option<TextRange> = None;
        if body.kind() == SyntaxKind::NODE_LET_IN {
            let bindings: Vec<SyntaxNode> = body
                .children()
                .filter(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .collect();
            if let ([b], Some(rest)) = (bindings.as_slice(), body.children().last()) {
                let range = TextRange::new(body.text_range().start(), rest.text_range().start());
                let comment = text[range].contains('#') || text[range].contains("/*");
                let named_pkgs = syntax::attrpath_names(b).is_some_and(|p| p == ["pkgs"]);
                if named_pkgs
                    && !comment
                    && syntax::attr_value(b).is_some_and(|v| matches(&unparen(v)))
                {
                    edits.push(Edit::delete(range));
                    dropped = Some(range);
                }
            }
        }
        for n in body.descendants() {
            if dropped.is_some_and(|d| d.contains_range(n.text_range())) || !matches(&n) {
                continue;
            }
            let shadowed = scope.binders.iter().any(|b| {
                b.name == "pkgs"
                    && body.text_range().contains_range(b.name_range)
                    && !dropped.is_some_and(|d| d.contains_range(b.name_range))
                    && b.scope.text_range().contains_range(n.text_range())
            });
            if shadowed {
                continue;
            }
            let target = match n.parent() {
                Some(p) if p.kind() == SyntaxKind::NODE_PAREN => p,
                _ => n.clone(),
            };
            if edits
                .iter()
                .any(|e: &Edit| e.range.contains_range(target.text_range()))
            {
                continue;
            }
            edits.push(Edit::replace(target.text_range(), "pkgs"));
        }
        // A `pkgs` of BODY's own left in scope where `pkgs` now appears
        // would capture it: nothing then.
        let own_pkgs = scope.binders.iter().any(|b| {
            b.name == "pkgs"
                && body.text_range().contains_range(b.name_range)
                && !dropped.is_some_and(|d| d.contains_range(b.name_range))
        });
        if own_pkgs && edits.iter().any(|e| dropped != Some(e.range)) {
            return none;
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use std::path::Path;

    const FLAKE: &str = "{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs\";\n  outputs = { self, nixpkgs, ... }:\n    let\n      forAllSystems = nixpkgs.lib.genAttrs [ \"x86_64-linux\" ];\n    in\n    {\n      devShells = import ./shells.nix { inherit forAllSystems nixpkgs; };\n    };\n}\n";

    /// The imported generator of `devShells`, with shells.nix holding `file`.
    fn imported(file: &str) -> (tempfile::TempDir, Option<Result<ImportedGenerator, String>>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flake.nix"), FLAKE).unwrap();
        std::fs::write(dir.path().join("shells.nix"), file).unwrap();
        let ws = Workspace::new(dir.path());
        let flake = Flake::load(&ws, Path::new("flake.nix")).unwrap();
        let outs = flake.per_system_outputs();
        let o = outs.iter().find(|o| o.name == "devShells").unwrap();
        let g = flake.imported_generator(o);
        if let Some(Ok(g)) = &g {
            // The argument only the call reads goes; `nixpkgs` stays.
            let dead = flake.imported_dead_arguments(g, &[]);
            assert_eq!(
                dead.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
                ["forAllSystems"]
            );
            let text = flake.imported_body_text(g, "", "      ", &[]);
            assert!(!text.contains(" s}"), "{text}");
        }
        (dir, g)
    }

    #[test]
    fn a_generator_call_in_an_imported_file() {
        let (_d, g) = imported(
            "{ forAllSystems, nixpkgs }:\nforAllSystems (s: { default = nixpkgs.legacyPackages.${s}.hello; })\n",
        );
        let g = g.unwrap().unwrap();
        assert_eq!(g.path, Path::new("shells.nix"));
        assert_eq!(
            g.body.text().to_string(),
            "{ default = nixpkgs.legacyPackages.${s}.hello; }"
        );
    }

    #[test]
    fn what_keeps_an_imported_generator_where_it_is() {
        // BODY reads a `system` bound outside it.
        let (_d, g) = imported(
            "{ forAllSystems, nixpkgs }:\nlet system = \"x86_64-linux\"; in\nforAllSystems (s: { default = nixpkgs.legacyPackages.${system}.hello; })\n",
        );
        let why = g.unwrap().unwrap_err();
        assert!(why.contains("reads a `system` bound outside it"), "{why}");
        // BODY binds a `system` of its own under another parameter name.
        let (_d, g) = imported(
            "{ forAllSystems, nixpkgs }:\nforAllSystems (s: let system = s; in { default = nixpkgs.legacyPackages.${system}.hello; })\n",
        );
        let why = g.unwrap().unwrap_err();
        assert!(why.contains("binds a `system` of its own"), "{why}");
        // A `with` between the arguments and the call.
        let (_d, g) = imported(
            "{ forAllSystems, nixpkgs }:\nwith nixpkgs; forAllSystems (s: { default = legacyPackages.${s}.hello; })\n",
        );
        let why = g.unwrap().unwrap_err();
        assert!(why.contains("is not a generator call"), "{why}");
    }

    /// A flake with a shared `pkgsFor`, passed to shells.nix (holding `file`).
    fn with_shared(file: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let flake = "{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs\";\n  outputs = { self, nixpkgs, ... }:\n    let\n      forAllSystems = nixpkgs.lib.genAttrs [ \"x86_64-linux\" ];\n      pkgsFor = system: import nixpkgs { inherit system; };\n    in\n    {\n      devShells = import ./shells.nix { inherit forAllSystems pkgsFor; };\n    };\n}\n";
        std::fs::write(dir.path().join("flake.nix"), flake).unwrap();
        std::fs::write(dir.path().join("shells.nix"), file).unwrap();
        let ws = Workspace::new(dir.path());
        let flake = Flake::load(&ws, Path::new("flake.nix")).unwrap();
        let shared = flake.shared_pkgs().unwrap();
        let outs = flake.per_system_outputs();
        let o = outs.iter().find(|o| o.name == "devShells").unwrap();
        let g = flake.imported_generator(o).unwrap().unwrap();
        let edits = flake.imported_pkgs_edits(&g, &shared);
        let text = flake.imported_text(&g);
        edits
            .iter()
            .map(|e| format!("{:?}->{}", &text[e.range], e.insert))
            .collect()
    }

    #[test]
    fn imported_modules_read_per_system_pkgs() {
        // `let pkgs = pkgsFor s; in` goes; `(pkgsFor s).jq` is `pkgs.jq`.
        let edits = with_shared(
            "{ forAllSystems, pkgsFor, ... }:\nforAllSystems (s: let pkgs = pkgsFor s; in { default = pkgs.mkShell { }; })\n",
        );
        assert_eq!(edits, ["\"let pkgs = pkgsFor s; in \"->"]);
        let edits = with_shared(
            "{ forAllSystems, pkgsFor, ... }:\nforAllSystems (s: { default = (pkgsFor s).jq; })\n",
        );
        assert_eq!(edits, ["\"(pkgsFor s)\"->pkgs"]);
        // A `pkgs` from outside BODY (the file's own) would be hidden.
        let edits = with_shared(
            "{ forAllSystems, pkgsFor, pkgs ? null, ... }:\nforAllSystems (s: { default = (pkgsFor s).jq; x = pkgs; })\n",
        );
        assert!(edits.is_empty(), "{edits:?}");
    }
}
