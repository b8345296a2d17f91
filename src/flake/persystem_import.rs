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
                "a generator whose per-system function is written in flake.nix, around the import"
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
    pub fn imported_body_text(&self, g: &ImportedGenerator, from: &str, to: &str) -> String {
        let src = self.src(g.file);
        let text = src.file().text.as_str();
        let mut set = EditSet::new();
        if &text[g.param] != "system" {
            if let Some(b) = src.scope().binder_named_at(g.param) {
                for r in src.scope().uses_of(b) {
                    if g.body.text_range().contains_range(r.range) {
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
