//! The module graph: which `.nix` files a configuration loads.
//!
//! Starting from the `modules = [ ... ]` of a builder call, modules are
//! followed through `imports = [ ... ]`, through Home Manager's
//! `home-manager.users.<user>` (and `home-manager.sharedModules`) inside NixOS
//! modules, through inline modules (`{ ... }` and `{ config, ... }: { ... }`),
//! and through relative paths and `import ./x.nix`, resolved against the file
//! they are written in (a directory means its `default.nix`). Anything else
//! (`inputs.x.nixosModules.y`, a variable, a call) is reported as opaque, with
//! its location.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Component, Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode};

use crate::error::{Error, Location};
use crate::syntax::{self, attr_value, static_attr_name, unparen, ParsedFile};
use crate::workspace::Workspace;

/// Which module system a module belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Nixos,
    Home,
}

/// A module as written in a module list.
#[derive(Debug, Clone)]
pub enum Module {
    /// A file (repository-relative).
    File(PathBuf),
    /// An inline module in `file`.
    Inline { file: PathBuf, node: SyntaxNode },
    /// Something that cannot be followed statically.
    Opaque { location: Location, text: String },
}

/// One file reached, with what it imports.
#[derive(Debug)]
pub struct ModuleFile {
    pub kind: Kind,
    /// The parsed file, or why it could not be parsed.
    pub parsed: Result<ParsedFile, Error>,
    /// Inline modules in this file that were reached (including the file's own top level).
    pub imports: Vec<(Kind, Module)>,
}

/// Every module reached from a set of roots.
#[derive(Debug, Default)]
pub struct Graph {
    /// Files by repository-relative path, with the kind they were first reached as.
    pub files: BTreeMap<(Kind, PathBuf), ModuleFile>,
    /// Inline modules reached (in flake.nix or in module files).
    pub inline: Vec<(Kind, PathBuf, SyntaxNode)>,
    /// Module references that cannot be followed statically.
    pub opaque: Vec<(Kind, Location, String)>,
    /// Paths that name nothing.
    pub missing: Vec<(Kind, Location, PathBuf)>,
}

/// Items of a list expression, looking through `++` and parentheses.
pub fn list_items(expr: &SyntaxNode) -> Vec<SyntaxNode> {
    let expr = unparen(expr.clone());
    match expr.kind() {
        SyntaxKind::NODE_LIST => expr.children().map(unparen).collect(),
        SyntaxKind::NODE_BIN_OP
            if expr
                .children_with_tokens()
                .any(|t| t.kind() == SyntaxKind::TOKEN_CONCAT) =>
        {
            expr.children().flat_map(|c| list_items(&c)).collect()
        }
        _ => Vec::new(),
    }
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    Some(out)
}

/// The repository-relative path a relative path literal (without
/// interpolation) names from a file in `dir`; `None` when it leaves the repository.
pub fn resolve_path(literal: &SyntaxNode, dir: &Path) -> Option<PathBuf> {
    if literal.kind() != SyntaxKind::NODE_PATH_REL || literal.children().next().is_some() {
        return None;
    }
    normalize(&dir.join(literal.text().to_string()))
}

/// Classify one element of a module list written in `file`.
pub fn module_of(expr: &SyntaxNode, file: &Path, lines: &syntax::LineIndex) -> Module {
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut e = unparen(expr.clone());
    // `import ./x.nix` (possibly applied to arguments: `import ./x.nix { ... }` is a value, not followed).
    if e.kind() == SyntaxKind::NODE_APPLY {
        let f = e.first_child().map(unparen);
        if f.as_ref()
            .is_some_and(|f| f.kind() == SyntaxKind::NODE_IDENT && f.text() == "import")
        {
            if let Some(arg) = e.children().nth(1) {
                e = unparen(arg);
            }
        }
    }
    match e.kind() {
        SyntaxKind::NODE_PATH_REL => match resolve_path(&e, &dir) {
            Some(p) => Module::File(p),
            None => Module::Opaque {
                location: lines.location(file, e.text_range().start()),
                text: e.text().to_string(),
            },
        },
        SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LAMBDA => Module::Inline {
            file: file.to_path_buf(),
            node: e,
        },
        _ => Module::Opaque {
            location: lines.location(file, e.text_range().start()),
            text: e
                .text()
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        },
    }
}

/// The top-level attribute set of a module expression: look through a
/// function head, `let`, `with` and parentheses.
pub fn module_body(node: &SyntaxNode) -> Option<SyntaxNode> {
    let mut e = unparen(node.clone());
    loop {
        match e.kind() {
            SyntaxKind::NODE_LAMBDA | SyntaxKind::NODE_LET_IN | SyntaxKind::NODE_WITH => {
                e = unparen(e.children().last()?);
            }
            SyntaxKind::NODE_ATTR_SET => return Some(e),
            _ => return None,
        }
    }
}

/// The modules a module expression of `kind` brings in: its `imports`, and
/// for NixOS modules the Home Manager user modules it configures.
pub fn imports_of(
    module: &SyntaxNode,
    kind: Kind,
    file: &Path,
    lines: &syntax::LineIndex,
) -> Vec<(Kind, Module)> {
    let mut out = Vec::new();
    if let Some(body) = module_body(module) {
        scan_set(&body, &[], kind, file, lines, &mut out);
    }
    out
}

fn scan_set(
    set: &SyntaxNode,
    prefix: &[String],
    kind: Kind,
    file: &Path,
    lines: &syntax::LineIndex,
    out: &mut Vec<(Kind, Module)>,
) {
    for entry in set
        .children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
    {
        let Some(path) = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
        else {
            continue;
        };
        let Some(value) = attr_value(&entry) else {
            continue;
        };
        let mut full = prefix.to_vec();
        full.extend(
            path.children()
                .map(|a| static_attr_name(&a).unwrap_or_else(|| "*".into())),
        );
        scan_value(&value, &full, kind, file, lines, out);
    }
}

fn scan_value(
    value: &SyntaxNode,
    path: &[String],
    kind: Kind,
    file: &Path,
    lines: &syntax::LineIndex,
    out: &mut Vec<(Kind, Module)>,
) {
    // `home-manager.users.<u>` switches to Home Manager, with a fresh path.
    if kind == Kind::Nixos {
        if let Some(i) = path
            .windows(2)
            .position(|w| w[0] == "home-manager" && w[1] == "users")
        {
            if path.len() == i + 3 {
                out.push((Kind::Home, module_of(value, file, lines)));
                return;
            }
            if path.len() > i + 3 {
                return scan_value(value, &path[i + 3..], Kind::Home, file, lines, out);
            }
            // `home-manager.users = { alice = ...; }`
            let v = unparen(value.clone());
            if v.kind() == SyntaxKind::NODE_ATTR_SET {
                return scan_set(&v, path, kind, file, lines, out);
            }
            return;
        }
        if path.ends_with(&["home-manager".to_string(), "sharedModules".to_string()]) {
            out.extend(
                list_items(value)
                    .iter()
                    .map(|m| (Kind::Home, module_of(m, file, lines))),
            );
            return;
        }
    }
    if path.last().is_some_and(|l| l == "imports") {
        out.extend(
            list_items(value)
                .iter()
                .map(|m| (kind, module_of(m, file, lines))),
        );
        return;
    }
    let v = unparen(value.clone());
    if v.kind() == SyntaxKind::NODE_ATTR_SET {
        scan_set(&v, path, kind, file, lines, out);
    }
}

/// Follow `roots` (each with its kind) to every module they reach.
pub fn follow(ws: &Workspace, roots: Vec<(Kind, Module)>) -> Graph {
    let mut graph = Graph::default();
    let mut queue: VecDeque<(Kind, Module, Option<Location>)> =
        roots.into_iter().map(|(k, m)| (k, m, None)).collect();
    let mut parsed_cache: BTreeMap<PathBuf, Result<ParsedFile, Error>> = BTreeMap::new();
    while let Some((kind, module, from)) = queue.pop_front() {
        match module {
            Module::Opaque { location, text } => graph.opaque.push((kind, location, text)),
            Module::Inline { file, node } => {
                let Some(parsed) = parsed_cache
                    .get(&file)
                    .and_then(|p| p.as_ref().ok())
                    .map(|p| p.lines.clone())
                    .or_else(|| {
                        ws.read(&file)
                            .ok()
                            .flatten()
                            .map(|t| syntax::LineIndex::new(&t))
                    })
                else {
                    continue;
                };
                for (k, m) in imports_of(&node, kind, &file, &parsed) {
                    queue.push_back((
                        k,
                        m,
                        Some(parsed.location(&file, node.text_range().start())),
                    ));
                }
                graph.inline.push((kind, file, node));
            }
            Module::File(path) => {
                let mut path = path;
                if ws.is_dir(&path) {
                    path = path.join("default.nix");
                }
                if graph.files.contains_key(&(kind, path.clone())) {
                    continue;
                }
                let text = match ws.read(&path) {
                    Ok(Some(t)) => t,
                    Ok(None) => {
                        if let Some(loc) = from {
                            graph.missing.push((kind, loc, path));
                        }
                        continue;
                    }
                    Err(e) => {
                        graph.files.insert(
                            (kind, path),
                            ModuleFile {
                                kind,
                                parsed: Err(e),
                                imports: Vec::new(),
                            },
                        );
                        continue;
                    }
                };
                let parsed = syntax::parse(&path, &text);
                let imports = match &parsed {
                    Ok(p) => match p.root.first_child() {
                        Some(top) => imports_of(&top, kind, &path, &p.lines),
                        None => Vec::new(),
                    },
                    Err(_) => Vec::new(),
                };
                for (k, m) in &imports {
                    let loc = parsed
                        .as_ref()
                        .ok()
                        .map(|p| p.lines.location(&path, 0.into()));
                    queue.push_back((*k, m.clone(), loc));
                }
                if let Ok(p) = &parsed {
                    parsed_cache.insert(path.clone(), Ok(p.clone()));
                }
                graph.files.insert(
                    (kind, path),
                    ModuleFile {
                        kind,
                        parsed,
                        imports,
                    },
                );
            }
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (p, c) in files {
            let p = dir.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        }
    }

    #[test]
    fn follows_imports_and_home_manager_users() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("hosts/a.nix", "{ imports = [ ../modules ./hw.nix ]; home-manager.users.alice = import ../home/alice.nix; }"),
                ("hosts/hw.nix", "{ config, ... }: { boot.loader.grub.enable = true; }"),
                ("modules/default.nix", "{ lib, ... }: { imports = [ ./x.nix inputs.foo.nixosModules.bar ]; home-manager.sharedModules = [ ../home/shared.nix ]; }"),
                ("modules/x.nix", "{ }"),
                ("home/alice.nix", "{ osConfig, ... }: { imports = [ ./shell.nix ./gone.nix ]; }"),
                ("home/shell.nix", "{ }"),
                ("home/shared.nix", "{ }"),
            ],
        );
        let ws = Workspace::new(dir.path());
        let graph = follow(&ws, vec![(Kind::Nixos, Module::File("hosts/a.nix".into()))]);
        let files: Vec<String> = graph
            .files
            .keys()
            .map(|(k, p)| format!("{k:?} {}", p.display()))
            .collect();
        assert_eq!(
            files,
            [
                "Nixos hosts/a.nix",
                "Nixos hosts/hw.nix",
                "Nixos modules/default.nix",
                "Nixos modules/x.nix",
                "Home home/alice.nix",
                "Home home/shared.nix",
                "Home home/shell.nix",
            ]
        );
        assert_eq!(graph.opaque.len(), 1);
        assert_eq!(graph.opaque[0].2, "inputs.foo.nixosModules.bar");
        assert_eq!(graph.missing.len(), 1);
        assert_eq!(graph.missing[0].2, PathBuf::from("home/gone.nix"));
    }

    #[test]
    fn inline_modules_and_nested_user_sets() {
        let dir = tempfile::tempdir().unwrap();
        let src = "[ ({ config, ... }: { home-manager = { useGlobalPkgs = true; users.bob = { imports = [ ./u.nix ]; }; users.eve.imports = [ ./v.nix ]; }; }) ]";
        write(
            dir.path(),
            &[("u.nix", "{ }"), ("v.nix", "{ }"), ("flake.nix", src)],
        );
        let root = rnix::Root::parse(src).syntax();
        let lines = syntax::LineIndex::new(src);
        let items = list_items(&root.first_child().unwrap());
        let roots = items
            .iter()
            .map(|i| (Kind::Nixos, module_of(i, Path::new("flake.nix"), &lines)))
            .collect();
        let ws = Workspace::new(dir.path());
        let graph = follow(&ws, roots);
        let files: Vec<String> = graph
            .files
            .keys()
            .map(|(k, p)| format!("{k:?} {}", p.display()))
            .collect();
        assert_eq!(files, ["Home u.nix", "Home v.nix"]);
        // The module function itself, and `users.bob = { ... }`, an inline Home Manager module.
        let kinds: Vec<Kind> = graph.inline.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(kinds, [Kind::Nixos, Kind::Home]);
    }
}
