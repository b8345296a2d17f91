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

use rustc_hash::{FxHashMap, FxHashSet};
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

/// Normalise a repository-relative path lexically (`a/./b/../c` is `a/c`);
/// `None` when it leaves the repository.
pub fn normalize_rel(path: &Path) -> Option<PathBuf> {
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
    normalize_rel(&dir.join(literal.text().to_string()))
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

/// Module files parsed once and shared between several [`follow_cached`]
/// calls: a file reached again is not read or parsed again.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// Module paths as written (a directory, say) to the file they name
    /// (its `default.nix`).
    resolved: FxHashMap<PathBuf, PathBuf>,
    /// Files read, by resolved path; absent: the file does not exist (or,
    /// for [`follow`], it moved into the graph: see `taken`).
    files: FxHashMap<PathBuf, Result<ParsedFile, Error>>,
    /// Files that moved into a graph.
    taken: FxHashSet<PathBuf>,
    /// Imports computed by the worker that parsed the file, for the kind it
    /// was first reached as.
    imports: FxHashMap<PathBuf, (Kind, Vec<(Kind, Module)>)>,
    /// Line indexes of files that hold inline modules (flake.nix, usually).
    lines: FxHashMap<PathBuf, Option<syntax::LineIndex>>,
}

impl ParseCache {
    /// How many module paths have been looked up (existing or not).
    pub fn len(&self) -> usize {
        self.resolved.len()
    }

    /// Whether nothing has been looked up yet.
    pub fn is_empty(&self) -> bool {
        self.resolved.is_empty()
    }

    /// The line index of `file` (parsed, or read from the workspace once).
    fn lines_of(&mut self, ws: &Workspace, file: &Path) -> Option<syntax::LineIndex> {
        if let Some(Ok(p)) = self.files.get(file) {
            return Some(p.lines.clone());
        }
        self.lines
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                ws.read(file)
                    .ok()
                    .flatten()
                    .map(|t| syntax::LineIndex::new(&t))
            })
            .clone()
    }
}

/// A copy of a parse result (errors are not `Clone`: an I/O error keeps its
/// kind and text).
fn clone_parsed(r: &Result<ParsedFile, Error>) -> Result<ParsedFile, Error> {
    match r {
        Ok(p) => Ok(p.clone()),
        Err(e) => Err(match e {
            Error::Syntax { location, message } => Error::Syntax {
                location: location.clone(),
                message: message.clone(),
            },
            Error::Encoding { path, message } => Error::Encoding {
                path: path.clone(),
                message: message.clone(),
            },
            Error::Io { path, source } => Error::Io {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            other => Error::Usage(other.to_string()),
        }),
    }
}

/// A [`Module`] that can cross threads: an inline module is its range.
enum SentModule {
    File(PathBuf),
    Inline(SyntaxKind, rnix::TextRange),
    Opaque { location: Location, text: String },
}

/// What a worker thread made of one module path. Syntax trees are not
/// `Send`, so a worker hands back the green tree (and the file's imports,
/// with inline modules as ranges), and the main thread roots it.
enum Loaded {
    Missing,
    Failed(Error),
    /// Parsed without errors.
    Parsed {
        text: String,
        green: rnix::Parse<rnix::Root>,
        lines: syntax::LineIndex,
        imports: Vec<(Kind, SentModule)>,
    },
    /// Parsed with errors; the main thread parses again for the message.
    Invalid(String),
}

/// Resolve a module path (a directory means its `default.nix`), read and
/// parse it, and find what it imports when reached as `kind`.
fn load_one(reader: &crate::workspace::SharedReader, path: &Path, kind: Kind) -> (PathBuf, Loaded) {
    // A directory reads as nothing; only then is it worth a `stat`.
    let mut read = reader.read(path);
    let mut path = path.to_path_buf();
    if matches!(read, Ok(None)) && reader.is_dir(&path) {
        path = path.join("default.nix");
        read = reader.read(&path);
    }
    // Shapes the parser takes quadratic time on are refused before parsing.
    let read = read.and_then(|text| match text {
        Some(text) => syntax::check_shape_limits(&path, &text).map(|()| Some(text)),
        None => Ok(None),
    });
    let loaded = match read {
        Ok(None) => Loaded::Missing,
        Err(e) => Loaded::Failed(e),
        Ok(Some(text)) => {
            let green = rnix::Root::parse(&text);
            if green.errors().is_empty() {
                let lines = syntax::LineIndex::new(&text);
                let imports = match green.syntax().first_child() {
                    Some(top) => imports_of(&top, kind, &path, &lines)
                        .into_iter()
                        .map(|(k, m)| {
                            let sent = match m {
                                Module::File(p) => SentModule::File(p),
                                Module::Inline { node, .. } => {
                                    SentModule::Inline(node.kind(), node.text_range())
                                }
                                Module::Opaque { location, text } => {
                                    SentModule::Opaque { location, text }
                                }
                            };
                            (k, sent)
                        })
                        .collect(),
                    None => Vec::new(),
                };
                Loaded::Parsed {
                    text,
                    green,
                    lines,
                    imports,
                }
            } else {
                Loaded::Invalid(text)
            }
        }
    };
    (path, loaded)
}

/// Resolve, read and parse `paths` on every core (`std::thread::scope`; the
/// calling thread works too), in any order; results come back in `paths` order.
fn load_parallel(ws: &Workspace, paths: &[(PathBuf, Kind)]) -> Vec<(PathBuf, Loaded)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let reader = ws.shared_reader();
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(paths.len().div_ceil(4))
        .max(1);
    if threads == 1 {
        return paths
            .iter()
            .map(|(p, k)| load_one(&reader, p, *k))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, kind)) = paths.get(i) else {
                return done;
            };
            done.push((i, load_one(&reader, path, *kind)));
        }
    };
    let mut results: Vec<(usize, (PathBuf, Loaded))> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            // A worker that panicked leaves its files unread; they are read below.
            if let Ok(done) = h.join() {
                all.extend(done);
            }
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(paths.len());
    let mut results = results.into_iter().peekable();
    for (i, (path, kind)) in paths.iter().enumerate() {
        match results.next_if(|(j, _)| *j == i) {
            Some((_, loaded)) => out.push(loaded),
            None => out.push(load_one(&reader, path, *kind)),
        }
    }
    out
}

/// The node of `kind` that spans exactly `range` under `root`.
fn node_at(root: &SyntaxNode, kind: SyntaxKind, range: rnix::TextRange) -> Option<SyntaxNode> {
    let start = match root.covering_element(range) {
        rnix::NodeOrToken::Node(n) => n,
        rnix::NodeOrToken::Token(t) => t.parent()?,
    };
    start
        .ancestors()
        .find(|n| n.kind() == kind && n.text_range() == range)
}

/// Follow `roots` (each with its kind) to every module they reach. Module
/// files of each breadth-first level are read and parsed in parallel (see
/// [`follow_cached`]); the graph does not depend on that.
pub fn follow(ws: &Workspace, roots: Vec<(Kind, Module)>) -> Graph {
    follow_levels(ws, roots, &mut ParseCache::default(), false)
}

/// [`follow`], reusing files the caller has parsed already (the flake's
/// program files, which its model loaded): they are not read or parsed
/// again when a module list names them.
pub fn follow_seeded(
    ws: &Workspace,
    roots: Vec<(Kind, Module)>,
    parsed: Vec<(PathBuf, ParsedFile)>,
) -> Graph {
    let mut cache = ParseCache::default();
    for (path, file) in parsed {
        if path.file_name().is_some_and(|n| n == "default.nix") {
            if let Some(dir) = path.parent() {
                cache.resolved.insert(dir.to_path_buf(), path.clone());
            }
        }
        cache.resolved.insert(path.clone(), path.clone());
        cache.files.insert(path, Ok(file));
    }
    follow_levels(ws, roots, &mut cache, false)
}

/// [`follow`] with a cache: the module paths a breadth-first level names
/// that `cache` has not seen are resolved, read and parsed in parallel (and
/// their imports found with [`imports_of`] on the worker), then the level is
/// processed in order. Files stay in `cache` for later calls; the graph
/// gets copies.
pub fn follow_cached(ws: &Workspace, roots: Vec<(Kind, Module)>, cache: &mut ParseCache) -> Graph {
    follow_levels(ws, roots, cache, true)
}

/// The level-by-level walk; `keep` leaves parsed files in `cache` (the graph
/// gets copies), otherwise they move into the graph.
fn follow_levels(
    ws: &Workspace,
    roots: Vec<(Kind, Module)>,
    cache: &mut ParseCache,
    keep: bool,
) -> Graph {
    let mut graph = Graph::default();
    let mut level: Vec<(Kind, Module, Option<Location>)> =
        roots.into_iter().map(|(k, m)| (k, m, None)).collect();
    while !level.is_empty() {
        // Load what is new, in parallel.
        let mut wanted: Vec<(PathBuf, Kind)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (kind, module, _) in &level {
            if let Module::File(path) = module {
                if !cache.resolved.contains_key(path) && seen.insert(path) {
                    wanted.push((path.clone(), *kind));
                }
            }
        }
        for ((asked, kind), (path, loaded)) in wanted.iter().zip(load_parallel(ws, &wanted)) {
            cache.resolved.insert(asked.clone(), path.clone());
            // Another spelling of a path already read (`./x` and `./x/default.nix`).
            if cache.files.contains_key(&path) || cache.taken.contains(&path) {
                continue;
            }
            let result = match loaded {
                Loaded::Missing => continue,
                Loaded::Failed(e) => Err(e),
                Loaded::Parsed {
                    text,
                    green,
                    lines,
                    imports,
                } => {
                    let root = green.syntax();
                    let imports: Vec<(Kind, Module)> = imports
                        .into_iter()
                        .filter_map(|(k, m)| {
                            Some((
                                k,
                                match m {
                                    SentModule::File(p) => Module::File(p),
                                    SentModule::Opaque { location, text } => {
                                        Module::Opaque { location, text }
                                    }
                                    SentModule::Inline(node_kind, range) => Module::Inline {
                                        file: path.clone(),
                                        node: node_at(&root, node_kind, range)?,
                                    },
                                },
                            ))
                        })
                        .collect();
                    cache.imports.insert(path.clone(), (*kind, imports));
                    Ok(ParsedFile { text, root, lines })
                }
                Loaded::Invalid(text) => syntax::parse(&path, &text),
            };
            cache.files.insert(path, result);
        }
        // Process the level in order.
        let mut next = Vec::new();
        for (kind, module, from) in level {
            match module {
                Module::Opaque { location, text } => graph.opaque.push((kind, location, text)),
                Module::Inline { file, node } => {
                    let Some(lines) = cache.lines_of(ws, &file) else {
                        continue;
                    };
                    for (k, m) in imports_of(&node, kind, &file, &lines) {
                        next.push((k, m, Some(lines.location(&file, node.text_range().start()))));
                    }
                    graph.inline.push((kind, file, node));
                }
                Module::File(asked) => {
                    let path = cache.resolved.get(&asked).cloned().unwrap_or(asked);
                    if graph.files.contains_key(&(kind, path.clone())) {
                        continue;
                    }
                    let parsed = if keep {
                        cache.files.get(&path).map(clone_parsed)
                    } else if let Some(p) = cache.files.remove(&path) {
                        cache.taken.insert(path.clone());
                        Some(p)
                    } else {
                        // Moved into the graph already, reached as the other kind.
                        [Kind::Nixos, Kind::Home].iter().find_map(|k| {
                            graph
                                .files
                                .get(&(*k, path.clone()))
                                .map(|f| clone_parsed(&f.parsed))
                        })
                    };
                    let Some(parsed) = parsed else {
                        // Not read: the file does not exist.
                        if let Some(loc) = from {
                            graph.missing.push((kind, loc, path));
                        }
                        continue;
                    };
                    let precomputed = match cache.imports.get(&path) {
                        Some((k, imports)) if *k == kind => Some(if keep {
                            imports.clone()
                        } else {
                            cache
                                .imports
                                .remove(&path)
                                .map(|(_, i)| i)
                                .unwrap_or_default()
                        }),
                        _ => None,
                    };
                    let imports = match (precomputed, &parsed) {
                        (Some(imports), _) => imports,
                        (None, Ok(p)) => match p.root.first_child() {
                            Some(top) => imports_of(&top, kind, &path, &p.lines),
                            None => Vec::new(),
                        },
                        (None, Err(_)) => Vec::new(),
                    };
                    if !imports.is_empty() {
                        let loc = parsed
                            .as_ref()
                            .ok()
                            .map(|p| p.lines.location(&path, 0.into()));
                        for (k, m) in &imports {
                            next.push((*k, m.clone(), loc.clone()));
                        }
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
        level = next;
    }
    graph
}

/// What part of a [`Graph`] some of its roots reach (see [`GraphIndex::reach`]).
#[derive(Debug, Default, Clone)]
pub struct Reach {
    /// Files reached, with the kind they were reached as.
    pub files: std::collections::HashSet<(Kind, PathBuf)>,
    /// Inline modules reached: kind, file and range.
    pub inline: std::collections::HashSet<(Kind, PathBuf, rnix::TextRange)>,
}

/// The imports of one indexed file: the files they name (resolved), and
/// the inline modules among them.
type IndexedEdges<'g> = (Vec<usize>, Vec<(Kind, &'g Module)>);

/// A [`Graph`] indexed for reachability queries: every file numbered, every
/// file-to-file edge resolved once.
pub struct GraphIndex<'g> {
    keys: Vec<(Kind, &'g Path)>,
    ids: FxHashMap<(Kind, &'g Path), usize>,
    /// Per file: the files its imports name (resolved), and its other imports.
    edges: Vec<IndexedEdges<'g>>,
    lines: std::collections::HashMap<&'g Path, &'g syntax::LineIndex>,
}

impl Graph {
    /// Index the graph for [`GraphIndex::reach`] queries.
    pub fn index(&self) -> GraphIndex<'_> {
        let keys: Vec<(Kind, &Path)> = self.files.keys().map(|(k, p)| (*k, p.as_path())).collect();
        let ids: FxHashMap<(Kind, &Path), usize> =
            keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let resolve = |kind: Kind, path: &Path| {
            ids.get(&(kind, path)).copied().or_else(|| {
                let d = path.join("default.nix");
                ids.get(&(kind, d.as_path())).copied()
            })
        };
        let edges = self
            .files
            .values()
            .map(|f| {
                let mut files = Vec::new();
                let mut other = Vec::new();
                for (k, m) in &f.imports {
                    match m {
                        Module::File(p) => files.extend(resolve(*k, p)),
                        Module::Inline { .. } => other.push((*k, m)),
                        Module::Opaque { .. } => {}
                    }
                }
                (files, other)
            })
            .collect();
        let lines = self
            .files
            .iter()
            .filter_map(|((_, p), f)| Some((p.as_path(), &f.parsed.as_ref().ok()?.lines)))
            .collect();
        GraphIndex {
            keys,
            ids,
            edges,
            lines,
        }
    }
}

impl GraphIndex<'_> {
    /// What `roots` reach inside the graph, which must have been built by
    /// following a superset of `roots` (one graph for every configuration,
    /// then one query per configuration). Nothing is read or parsed: file
    /// edges are the recorded [`ModuleFile::imports`], inline modules are
    /// scanned with [`imports_of`], and a path names its `default.nix` when
    /// the graph holds that rather than the path itself.
    pub fn reach(&self, ws: &Workspace, roots: Vec<(Kind, Module)>) -> Reach {
        let mut out = Reach::default();
        let mut seen = vec![false; self.keys.len()];
        let mut files: Vec<usize> = Vec::new();
        let mut inline: VecDeque<(Kind, Module)> = VecDeque::new();
        let mut read_lines: std::collections::HashMap<PathBuf, Option<syntax::LineIndex>> =
            std::collections::HashMap::new();
        let resolve = |kind: Kind, path: &Path| {
            self.ids.get(&(kind, path)).copied().or_else(|| {
                let d = path.join("default.nix");
                self.ids.get(&(kind, d.as_path())).copied()
            })
        };
        for (kind, m) in roots {
            match m {
                Module::File(p) => files.extend(resolve(kind, &p)),
                Module::Inline { .. } => inline.push_back((kind, m)),
                Module::Opaque { .. } => {}
            }
        }
        loop {
            if let Some(id) = files.pop() {
                if std::mem::replace(&mut seen[id], true) {
                    continue;
                }
                let (file_edges, other) = &self.edges[id];
                files.extend(file_edges);
                inline.extend(other.iter().map(|(k, m)| (*k, (*m).clone())));
                continue;
            }
            let Some((kind, module)) = inline.pop_front() else {
                break;
            };
            let Module::Inline { file, node } = module else {
                continue;
            };
            if !out.inline.insert((kind, file.clone(), node.text_range())) {
                continue;
            }
            let lines = match self.lines.get(file.as_path()) {
                Some(l) => Some((*l).clone()),
                None => read_lines
                    .entry(file.clone())
                    // (cached by the workspace: one index per file for all
                    // the configurations, not one per configuration)
                    .or_insert_with(|| ws.line_index(&file))
                    .clone(),
            };
            let Some(lines) = lines else { continue };
            for (k, m) in imports_of(&node, kind, &file, &lines) {
                match m {
                    Module::File(p) => files.extend(resolve(k, &p)),
                    Module::Inline { .. } => inline.push_back((k, m)),
                    Module::Opaque { .. } => {}
                }
            }
        }
        out.files = seen
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| (self.keys[i].0, self.keys[i].1.to_path_buf()))
            .collect();
        out
    }
}

#[cfg(test)]
mod parallel_tests {
    use super::*;

    fn summary(g: &Graph) -> Vec<String> {
        let mut out: Vec<String> = g
            .files
            .iter()
            .map(|((k, p), f)| format!("{k:?} {} {}", p.display(), f.parsed.is_ok()))
            .collect();
        out.extend(
            g.inline
                .iter()
                .map(|(k, p, n)| format!("inline {k:?} {} {:?}", p.display(), n.text_range())),
        );
        out.extend(
            g.opaque
                .iter()
                .map(|(k, l, t)| format!("opaque {k:?} {l} {t}")),
        );
        out.extend(
            g.missing
                .iter()
                .map(|(k, l, p)| format!("missing {k:?} {l} {}", p.display())),
        );
        out
    }

    #[test]
    fn following_with_a_kept_cache_gives_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        let mut files: Vec<(String, String)> = vec![
            ("hosts/a.nix".into(), "{ imports = [ ../modules ./hw.nix ./broken.nix ]; home-manager.users.alice = { imports = [ ../home/alice.nix ]; }; }".into()),
            ("hosts/hw.nix".into(), "{ config, ... }: { }".into()),
            ("hosts/broken.nix".into(), "{ imports = [ ".into()),
            ("home/alice.nix".into(), "{ imports = [ ./gone.nix inputs.x.homeModules.y ]; }".into()),
        ];
        let mut imports = String::new();
        for i in 0..40 {
            imports.push_str(&format!(" ./m{i}.nix"));
            files.push((
                format!("modules/m{i}.nix"),
                format!("{{ imports = [ ./leaf{}.nix ]; }}", i % 7),
            ));
        }
        for i in 0..7 {
            files.push((format!("modules/leaf{i}.nix"), "{ }".into()));
        }
        files.push((
            "modules/default.nix".into(),
            format!("{{ imports = [{imports} ]; }}"),
        ));
        for (p, c) in &files {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        }
        let roots = || {
            vec![
                (Kind::Nixos, Module::File("hosts/a.nix".into())),
                (Kind::Home, Module::File("home/alice.nix".into())),
                (Kind::Nixos, Module::File("hosts/none.nix".into())),
            ]
        };
        let ws = Workspace::new(dir.path());
        let sequential = follow(&ws, roots());
        let parallel = follow_cached(&ws, roots(), &mut ParseCache::default());
        assert_eq!(summary(&sequential), summary(&parallel));
        assert_eq!(parallel.files.len(), 52);

        // A second call with the same cache reads nothing again.
        let mut cache = ParseCache::default();
        let first = follow_cached(&ws, roots(), &mut cache);
        let read = cache.len();
        let again = follow_cached(&ws, roots(), &mut cache);
        assert_eq!(cache.len(), read);
        assert_eq!(summary(&first), summary(&again));
        assert_eq!(summary(&first), summary(&sequential));

        // One root's reach, computed inside the whole graph, is what following it alone gives.
        let alone = follow(
            &ws,
            vec![(Kind::Home, Module::File("home/alice.nix".into()))],
        );
        let index = sequential.index();
        let reach = index.reach(
            &ws,
            vec![(Kind::Home, Module::File("home/alice.nix".into()))],
        );
        let expected: std::collections::HashSet<(Kind, PathBuf)> =
            alone.files.keys().cloned().collect();
        assert_eq!(reach.files, expected);
        let host = index.reach(&ws, vec![(Kind::Nixos, Module::File("hosts".into()))]);
        assert!(host.files.is_empty(), "hosts/ has no default.nix");
        let host = index.reach(&ws, vec![(Kind::Nixos, Module::File("modules".into()))]);
        assert_eq!(host.files.len(), 48);
    }

    #[test]
    fn shared_reader_sees_pending_writes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.nix"), "{ imports = [ ./b.nix ]; }").unwrap();
        let mut ws = Workspace::new(dir.path());
        ws.write(Path::new("b.nix"), "{ }".into()).unwrap();
        let graph = follow(&ws, vec![(Kind::Nixos, Module::File("a.nix".into()))]);
        assert_eq!(graph.files.len(), 2);
        assert!(graph.missing.is_empty());
    }
}
