//! Where `flake.nix` calls a program file with an argument set:
//! `import ./hosts { inherit nixpkgs home-manager; }`, the shape
//! `split-outputs` writes and real flakes use for one file per host. A
//! codemod that defines a name in `flake.nix` and needs it in that file
//! passes it there (the argument set and the file's formals).

use std::path::{Component, Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode};

use super::eval::FileId;
use super::Flake;

/// The one place that imports a program file.
#[derive(Clone, Debug)]
pub struct ImportSite {
    /// The imported file.
    pub file: FileId,
    /// `import ./path { ... }`, in `flake.nix`.
    pub call: SyntaxNode,
    /// The argument set of the call (a plain `{ ... }`).
    pub args: SyntaxNode,
    /// The imported file's formals (`{ a, b }` of `{ a, b }: ...`).
    pub pattern: SyntaxNode,
}

/// `path` with `.` and `..` folded away (a `..` past the start is kept).
fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

impl Flake {
    /// The call that imports program file `id` from `flake.nix` as
    /// `import PATH { ... }` (the builtin `import`, a plain argument set),
    /// when the file's expression is a function of a formals pattern and no
    /// other relative path in any program file names the file (or its
    /// directory, for a `default.nix`), so that the call is the only way the
    /// program reaches it. `None` otherwise, when a path is interpolated, or
    /// when a directory above the file is joined to a string.
    pub fn sole_import_site(&self, id: FileId) -> Option<ImportSite> {
        if id == 0 {
            return None;
        }
        let target = normalise(self.src(id).path());
        let mut found: Vec<SyntaxNode> = Vec::new();
        for f in self.program_files() {
            let src = self.src(f);
            let dir = src.dir();
            for p in src
                .file()
                .root
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL)
            {
                let text = p.text().to_string();
                if text.contains("${") {
                    return None;
                }
                let resolved = normalise(&dir.join(&text));
                // A directory above the file, joined to a string
                // (`./hosts + "/${name}"`): the file may be reached that way.
                let joined = p
                    .parent()
                    .is_some_and(|e| e.kind() == SyntaxKind::NODE_BIN_OP);
                if joined && target.starts_with(&resolved) {
                    return None;
                }
                if resolved == target || resolved.join("default.nix") == target {
                    if f != 0 {
                        return None;
                    }
                    found.push(p);
                }
            }
        }
        let [path] = found.as_slice() else {
            return None;
        };
        let inner = path.parent()?;
        if inner.kind() != SyntaxKind::NODE_APPLY {
            return None;
        }
        let mut parts = inner.children();
        let function = parts.next()?;
        if function.kind() != SyntaxKind::NODE_IDENT
            || function.text() != "import"
            || parts.next().as_ref() != Some(path)
        {
            return None;
        }
        let root = self.src(0);
        let reference = root.scope().reference_at(function.text_range())?;
        if reference.binder.is_some() || !reference.withs.is_empty() {
            return None;
        }
        let call = inner.parent()?;
        if call.kind() != SyntaxKind::NODE_APPLY || call.first_child().as_ref() != Some(&inner) {
            return None;
        }
        let args = call.children().nth(1)?;
        if args.kind() != SyntaxKind::NODE_ATTR_SET
            || args
                .children_with_tokens()
                .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
        {
            return None;
        }
        let top = self.src(id).file().root.first_child()?;
        if top.kind() != SyntaxKind::NODE_LAMBDA {
            return None;
        }
        let pattern = top.first_child()?;
        if pattern.kind() != SyntaxKind::NODE_PATTERN {
            return None;
        }
        Some(ImportSite {
            file: id,
            call,
            args,
            pattern,
        })
    }
}
