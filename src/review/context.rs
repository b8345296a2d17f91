//! The facts every finding family reads, gathered once: the flake model,
//! configurations with their module graphs, Home Manager blocks, the lock
//! file and git's index.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::flake::eval::FileId;
use crate::flake::model::Helper;
use crate::flake::{Configuration, Flake, ModuleItem};
use crate::lock;
use crate::modules::{self, Graph, Kind, Module, Reach};
use crate::syntax::{attr_value, static_attr_name, unparen, LineIndex};
use crate::workspace::Workspace;

use super::{Options, Span};

/// One configuration with what it loads.
pub(crate) struct Conf {
    pub conf: Configuration,
    /// `Home` for `homeConfigurations`, `Nixos` for NixOS and nix-darwin.
    pub kind: Kind,
    /// The module-list items it passes, followed (in any file).
    pub items: Vec<ModuleItem>,
    /// What it reaches (a query on the combined graph).
    pub reach: Reach,
}

impl Conf {
    /// `nixosConfigurations.name` (or `<generated>`).
    pub fn label(&self) -> String {
        self.conf
            .name
            .clone()
            .unwrap_or_else(|| "<generated>".into())
    }
}

/// A NixOS (or nix-darwin) module that sets `home-manager.*`.
pub(crate) struct HmBlock {
    pub file: PathBuf,
    pub lines: LineIndex,
    /// From the first `home-manager` entry to the last one of the module.
    pub range: TextRange,
    /// Options set, by name (`useGlobalPkgs`...), `users` excluded.
    pub options: Vec<(String, SyntaxNode)>,
    /// `home-manager.users.<name>` entries.
    pub users: Vec<HmUser>,
    /// Where the module is.
    pub module: ModuleRef,
}

/// A module: a whole file, or an inline module in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ModuleRef {
    File(PathBuf),
    Inline(PathBuf, TextRange),
}

impl HmBlock {
    /// Whether it configures the integration (anything besides users).
    pub fn sets_integration(&self) -> bool {
        !self.options.is_empty()
    }

    /// The value of option `name`, when it is a literal `true`.
    pub fn is_true(&self, name: &str) -> bool {
        self.options
            .iter()
            .any(|(n, v)| n == name && unparen(v.clone()).text() == "true")
    }
}

/// One `home-manager.users.<name>` entry.
pub(crate) struct HmUser {
    pub user: String,
    /// The entry that configures the user.
    pub range: TextRange,
    /// The attribute path below `users.<name>` (`[]` or `["imports"]`...).
    pub rest: Vec<String>,
    pub value: SyntaxNode,
    /// Home Manager files it reaches (computed when standalone profiles exist).
    pub reaches: BTreeSet<PathBuf>,
}

/// The state of flake.lock.
pub(crate) enum LockFile {
    Missing,
    Unreadable(String),
    Present { lock: lock::Lock, text: String },
}

pub(crate) struct Cx<'a> {
    pub ws: &'a Workspace,
    pub options: &'a Options,
    pub flake: Flake,
    /// Helpers that wrap a builder, in every program file.
    pub helpers: Vec<Helper>,
    pub confs: Vec<Conf>,
    /// Everything reached from every configuration and every helper body.
    pub graph: Graph,
    /// Items of configurations whose path names nothing.
    pub missing_roots: Vec<(PathBuf, Span)>,
    pub hm: Vec<HmBlock>,
    pub lock_path: PathBuf,
    pub lock: LockFile,
    /// Git's index, when the workspace root is a repository.
    pub index: Option<git2::Index>,
    /// Each module NixOS configurations reach, to the indexes (in `confs`)
    /// of those configurations: built on first use by [`Cx::hosts_loading`].
    loaded_by: std::cell::OnceCell<HashMap<ModuleRef, Vec<usize>>>,
}

impl<'a> Cx<'a> {
    pub fn new(ws: &'a Workspace, flake: Flake, options: &'a Options) -> Cx<'a> {
        let mut confs = Vec::new();
        let mut all_roots: Vec<(Kind, Module)> = Vec::new();
        let mut missing_roots = Vec::new();
        for conf in flake.configurations() {
            let kind = if conf.output == "homeConfigurations" {
                Kind::Home
            } else {
                Kind::Nixos
            };
            let items = conf
                .call
                .as_ref()
                .map(|c| flake.module_items(c))
                .unwrap_or_default();
            all_roots.extend(items.iter().map(|i| (kind, i.module.clone())));
            confs.push((conf, kind, items));
        }
        // Helpers (in any program file reached so far) still hold modules
        // and Home Manager blocks when nobody calls them.
        let helpers = flake.builder_helpers();
        for h in &helpers {
            let kind = if h.builder == "homeManagerConfiguration" {
                Kind::Home
            } else {
                Kind::Nixos
            };
            for call in &h.calls {
                // Items that depend on the helper's arguments are followed
                // where it is called, not here.
                for item in flake.module_items(call) {
                    if item.unknown.is_none() {
                        all_roots.push((kind, item.module));
                    }
                }
            }
        }
        // Module lists given to other functions (an installer image built
        // with nixos-generators): their Home Manager blocks count too.
        for (_, arg) in flake.other_module_calls() {
            for item in flake.module_list_items(&arg) {
                if item.unknown.is_none() {
                    all_roots.push((Kind::Nixos, item.module));
                }
            }
        }
        // Parse everything once, in parallel; per-configuration graphs reuse it.
        // Files the flake's model parsed already are not parsed again.
        let graph = modules::follow_seeded(ws, all_roots, flake.parsed_program_files());
        let index = graph.index();
        let confs: Vec<Conf> = confs
            .into_iter()
            .map(|(conf, kind, items)| {
                let roots: Vec<(Kind, Module)> =
                    items.iter().map(|i| (kind, i.module.clone())).collect();
                for item in &items {
                    if let Module::File(p) = &item.module {
                        let file = if ws.is_dir(p) {
                            p.join("default.nix")
                        } else {
                            p.clone()
                        };
                        if !ws.exists(&file) {
                            let src = flake.src(item.written.file);
                            let span = Span::of(
                                src.path(),
                                &src.file().lines,
                                item.written.node.text_range(),
                            );
                            if !missing_roots.iter().any(|(_, s)| s == &span) {
                                missing_roots.push((file, span));
                            }
                        }
                    }
                }
                let reach = index.reach(ws, roots);
                Conf {
                    conf,
                    kind,
                    items,
                    reach,
                }
            })
            .collect();

        let mut hm = home_manager_blocks(&flake, &graph);
        if confs.iter().any(|c| c.kind == Kind::Home) {
            reach_users(ws, &index, &mut hm);
        }

        let lock_path = flake.dir().join("flake.lock");
        let lock = match ws.read(&lock_path) {
            Ok(None) => LockFile::Missing,
            Ok(Some(text)) => match lock::Lock::parse(&text) {
                Ok(lock) => LockFile::Present { lock, text },
                Err(e) => LockFile::Unreadable(e),
            },
            Err(e) => LockFile::Unreadable(e.to_string()),
        };
        let index = git2::Repository::open(ws.root())
            .ok()
            .and_then(|r| r.index().ok());
        Cx {
            ws,
            options,
            flake,
            helpers,
            confs,
            graph,
            missing_roots,
            hm,
            lock_path,
            lock,
            index,
            loaded_by: std::cell::OnceCell::new(),
        }
    }

    /// Whether git tracks `path` (`None`: not a git repository).
    pub fn is_tracked(&self, path: &Path) -> Option<bool> {
        let index = self.index.as_ref()?;
        let p = path.to_str()?;
        Some(index.get_path(Path::new(p), 0).is_some())
    }

    /// The span of a node of flake.nix.
    pub fn span(&self, range: TextRange) -> Span {
        Span::of(&self.flake.path, &self.flake.file.lines, range)
    }

    /// The span of a node of program file `file`.
    pub fn span_in(&self, file: FileId, range: TextRange) -> Span {
        let src = self.flake.src(file);
        Span::of(src.path(), &src.file().lines, range)
    }

    /// A path relative to the flake's directory, for display.
    pub fn rel(&self, path: &Path) -> PathBuf {
        super::relative_to(&self.flake.dir(), path)
    }
}

/// Every NixOS module reached (inline or file) that sets `home-manager.*`,
/// each once, in file and source order.
fn home_manager_blocks(flake: &Flake, graph: &Graph) -> Vec<HmBlock> {
    let mut out: Vec<HmBlock> = Vec::new();
    let mut seen: BTreeSet<(PathBuf, u32, u32)> = BTreeSet::new();
    let mut consider = |file: &Path, lines: &LineIndex, module: &SyntaxNode, whole_file: bool| {
        let r = module.text_range();
        if !seen.insert((file.to_path_buf(), r.start().into(), r.end().into())) {
            return;
        }
        let at = if whole_file {
            ModuleRef::File(file.to_path_buf())
        } else {
            ModuleRef::Inline(file.to_path_buf(), r)
        };
        if let Some(block) = scan_module(file, lines, module, at) {
            out.push(block);
        }
    };
    for (kind, file, node) in &graph.inline {
        if *kind != Kind::Nixos {
            continue;
        }
        let program = flake
            .program_files()
            .into_iter()
            .find(|&id| flake.src(id).path() == file);
        let lines = if let Some(id) = program {
            Some(flake.src(id).file().lines.clone())
        } else {
            graph
                .files
                .iter()
                .find(|((_, p), _)| p == file)
                .and_then(|(_, f)| f.parsed.as_ref().ok())
                .map(|p| p.lines.clone())
        };
        if let Some(lines) = lines {
            consider(file, &lines, node, false);
        }
    }
    for ((kind, path), f) in &graph.files {
        if *kind != Kind::Nixos {
            continue;
        }
        if let Ok(p) = &f.parsed {
            // A quick look at the text spares walking the trees of most files.
            if !p.text.contains("home-manager") {
                continue;
            }
            if let Some(top) = p.root.first_child() {
                consider(path, &p.lines, &top, true);
            }
        }
    }
    out.sort_by_key(|b| (b.file.clone(), b.range.start()));
    out
}

/// The `home-manager.*` settings of one module, if any.
fn scan_module(
    file: &Path,
    lines: &LineIndex,
    module: &SyntaxNode,
    at: ModuleRef,
) -> Option<HmBlock> {
    let body = modules::module_body(module)?;
    let mut options = Vec::new();
    let mut users = Vec::new();
    let mut first: Option<TextRange> = None;
    let mut last: Option<TextRange> = None;
    for entry in body
        .children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
    {
        let head = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
            .and_then(|p| p.first_child())
            .and_then(|a| static_attr_name(&a));
        if head.as_deref() != Some("home-manager") {
            continue;
        }
        let path = attr_path(&entry);
        let Some(value) = attr_value(&entry) else {
            continue;
        };
        first.get_or_insert(entry.text_range());
        last = Some(entry.text_range());
        collect_hm(&path[1..], &entry, &value, &mut options, &mut users);
    }
    let range = first?.cover(last?);
    Some(HmBlock {
        file: file.to_path_buf(),
        lines: lines.clone(),
        range,
        options,
        users,
        module: at,
    })
}

/// Static attribute path of an entry, `*` for dynamic parts.
fn attr_path(entry: &SyntaxNode) -> Vec<String> {
    entry
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
        .map(|p| {
            p.children()
                .map(|a| static_attr_name(&a).unwrap_or_else(|| "*".into()))
                .collect()
        })
        .unwrap_or_default()
}

/// Walk a `home-manager` value: options at the first level, users at `users.<name>`.
fn collect_hm(
    path: &[String],
    entry: &SyntaxNode,
    value: &SyntaxNode,
    options: &mut Vec<(String, SyntaxNode)>,
    users: &mut Vec<HmUser>,
) {
    let nested =
        |prefix: &[String], options: &mut Vec<(String, SyntaxNode)>, users: &mut Vec<HmUser>| {
            let v = unparen(value.clone());
            if v.kind() != SyntaxKind::NODE_ATTR_SET {
                return;
            }
            for e in v
                .children()
                .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
            {
                if let Some(val) = attr_value(&e) {
                    let mut p = prefix.to_vec();
                    p.extend(attr_path(&e));
                    collect_hm(&p, &e, &val, options, users);
                }
            }
        };
    match path {
        [] => nested(&[], options, users),
        [users_key] if users_key == "users" => nested(path, options, users),
        [users_key, name, rest @ ..] if users_key == "users" => users.push(HmUser {
            user: name.clone(),
            range: entry.text_range(),
            rest: rest.to_vec(),
            value: value.clone(),
            reaches: BTreeSet::new(),
        }),
        [option, ..] => {
            if !options.iter().any(|(n, _)| n == option) {
                options.push((option.clone(), value.clone()));
            }
        }
    }
}

/// For every user entry, the Home Manager files it reaches.
fn reach_users(ws: &Workspace, index: &modules::GraphIndex, hm: &mut [HmBlock]) {
    for block in hm.iter_mut() {
        for user in &mut block.users {
            // `users.alice = <module>` or `users.alice.imports = [ ... ]`.
            let roots: Vec<(Kind, Module)> = match user.rest.as_slice() {
                [] => vec![(
                    Kind::Home,
                    modules::module_of(&user.value, &block.file, &block.lines),
                )],
                [imports] if imports == "imports" => modules::list_items(&user.value)
                    .iter()
                    .map(|i| (Kind::Home, modules::module_of(i, &block.file, &block.lines)))
                    .collect(),
                _ => Vec::new(),
            };
            user.reaches = index
                .reach(ws, roots)
                .files
                .into_iter()
                .filter(|(k, _)| *k == Kind::Home)
                .map(|(_, p)| p)
                .collect();
        }
    }
}

impl Cx<'_> {
    /// The NixOS (and nix-darwin) configurations that load `module`, in
    /// the order of `confs`. One lookup: the inverse of every
    /// configuration's reach is built once (asking each configuration per
    /// module made review quadratic in the number of hosts).
    pub fn hosts_loading(&self, module: &ModuleRef) -> Vec<String> {
        let loaded_by = self.loaded_by.get_or_init(|| {
            let mut map: HashMap<ModuleRef, Vec<usize>> = HashMap::new();
            for (i, c) in self.confs.iter().enumerate() {
                if c.kind != Kind::Nixos {
                    continue;
                }
                let files = c.reach.files.iter().filter(|(k, _)| *k == Kind::Nixos);
                for (_, f) in files {
                    map.entry(ModuleRef::File(f.clone())).or_default().push(i);
                }
                let inline = c.reach.inline.iter().filter(|(k, _, _)| *k == Kind::Nixos);
                for (_, f, r) in inline {
                    map.entry(ModuleRef::Inline(f.clone(), *r))
                        .or_default()
                        .push(i);
                }
            }
            map
        });
        loaded_by
            .get(module)
            .map(|confs| confs.iter().map(|&i| self.confs[i].label()).collect())
            .unwrap_or_default()
    }

    /// The helper (a `let` or `rec` binding of a program file) whose
    /// definition holds `range` of `file`, innermost first.
    pub fn enclosing_helper(&self, file: &Path, range: TextRange) -> Option<String> {
        self.helpers
            .iter()
            .filter(|h| self.flake.src(h.file).path() == file)
            .filter_map(|h| {
                let src = self.flake.src(h.file);
                let entry = src.scope().binders[h.binder].entries.first()?;
                entry
                    .text_range()
                    .contains_range(range)
                    .then(|| (entry.text_range().len(), h.name.clone()))
            })
            .min()
            .map(|(_, name)| name)
    }
}

impl Cx<'_> {
    /// The span of input `input`'s declaration: the outermost entry of
    /// flake.nix around its first mention that names it (`agenix = { ... };`,
    /// `agenix.url = ...;`), or the mention itself.
    pub fn input_span(&self, input: &crate::flake::Input) -> Span {
        let root = &self.flake.file.root;
        let node = root
            .covering_element(input.range)
            .into_node()
            .or_else(|| root.covering_element(input.range).parent());
        let entry = node.and_then(|n| {
            n.ancestors()
                .filter(|a| a.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                .find(|a| attr_path(a).iter().any(|p| p == &input.name))
        });
        match entry {
            Some(e) => self.span(e.text_range()),
            None => self.span(input.range),
        }
    }
}

impl Cx<'_> {
    /// The owned analysis (flake model, graph, reach sets), for
    /// [`super::Reviewed`].
    pub fn into_analysis(self) -> Box<dyn std::any::Any> {
        Box::new((self.flake, self.graph, self.confs, self.hm))
    }
}
