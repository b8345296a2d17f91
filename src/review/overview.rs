//! The overview (the flake at a glance) and what is done well.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rnix::SyntaxKind;

use super::context::{Cx, LockFile};
use super::findings::and_list;
use super::{Finding, Rule, Span};
use crate::flake::Via;
use crate::modules::Kind;
use crate::syntax::static_attr_name;

/// The flake at a glance.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    /// Lines in flake.nix.
    pub flake_lines: usize,
    /// The flake's `description`.
    pub description: Option<String>,
    /// Every configuration found, in source order.
    pub configurations: Vec<ConfigurationInfo>,
    /// The inputs declared in flake.nix.
    pub inputs: Vec<InputInfo>,
    /// The module files reached, by module system and directory.
    pub modules: ModuleSummary,
    /// flake.lock.
    pub lock: LockState,
    /// How many nixpkgs flake.lock holds (when it can be read).
    pub nixpkgs_nodes: Option<usize>,
    /// Whether the outputs come from flake-parts' `mkFlake`.
    pub flake_parts: bool,
    /// The systems flake.nix names (`x86_64-linux`...).
    pub systems: Vec<String>,
}

/// One configuration.
#[derive(Debug, Clone)]
pub struct ConfigurationInfo {
    /// `nixosConfigurations`, `darwinConfigurations` or `homeConfigurations`.
    pub output: String,
    /// Its name (`None` when generated, e.g. `${host} = ...`).
    pub name: Option<String>,
    /// How it is built.
    pub built_with: BuiltWith,
    /// Where it is defined.
    pub span: Span,
    /// NixOS (or nix-darwin) module files it loads.
    pub system_modules: usize,
    /// Home Manager module files it loads.
    pub home_modules: usize,
}

/// How a configuration is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuiltWith {
    /// Calling the builder itself (`nixpkgs.lib.nixosSystem`).
    Direct(String),
    /// Through a local helper (`mkSystem`).
    Helper(String),
    /// Not a builder call the analysis recognises.
    Unknown,
}

/// One input.
#[derive(Debug, Clone)]
pub struct InputInfo {
    /// The input's name.
    pub name: String,
    /// Its URL, as written.
    pub url: Option<String>,
    /// How it gets its nixpkgs.
    pub nixpkgs: NixpkgsUse,
    /// Where it is declared.
    pub span: Span,
}

/// How an input gets its nixpkgs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NixpkgsUse {
    /// It is a nixpkgs.
    IsNixpkgs,
    /// Its nixpkgs follows this input (flake.nix or flake.lock).
    Follows(String),
    /// Its nixpkgs is the flake's own nixpkgs node (deduplicated by the lock).
    Shared,
    /// It locks a nixpkgs of its own (this lock node).
    Own(String),
    /// It has no nixpkgs input.
    NoNixpkgsInput,
    /// No `follows` in flake.nix, and no lock file to tell more.
    NotFollowed,
}

/// Module files reached, counted per directory.
#[derive(Debug, Clone, Default)]
pub struct ModuleSummary {
    /// NixOS and nix-darwin module files.
    pub system: Vec<DirectoryCount>,
    /// Home Manager module files.
    pub home: Vec<DirectoryCount>,
    /// Module references that cannot be followed statically (from inputs,
    /// interpolated paths, variables), each once.
    pub not_followed: Vec<String>,
}

impl ModuleSummary {
    /// Total NixOS module files.
    pub fn system_total(&self) -> usize {
        self.system.iter().map(|d| d.files).sum()
    }

    /// Total Home Manager module files.
    pub fn home_total(&self) -> usize {
        self.home.iter().map(|d| d.files).sum()
    }
}

/// Module files in one directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryCount {
    /// The first directory below the flake's (`modules/`), or `.` for files
    /// beside flake.nix.
    pub dir: String,
    /// How many module files are under it.
    pub files: usize,
}

/// The state of flake.lock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LockState {
    /// There is none.
    #[default]
    Missing,
    /// It cannot be parsed (the reason).
    Unreadable(String),
    /// Present, but git does not track it.
    Untracked,
    /// Present and tracked by git.
    Tracked,
    /// Present; the flake is not in a git repository.
    Present,
}

/// A good practice the review detected.
#[derive(Debug, Clone)]
pub struct Practice {
    /// One line.
    pub title: String,
    /// What exactly, and why it is good.
    pub detail: String,
    /// Where it shows.
    pub spans: Vec<Span>,
}

fn dir_counts(cx: &Cx, kind: Kind) -> Vec<DirectoryCount> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let dir = cx.flake.dir();
    for (k, path) in cx.graph.files.keys() {
        if *k != kind {
            continue;
        }
        let rel = super::relative_to(&dir, path);
        let mut parts = rel.components();
        let first = parts.next();
        let key = match (first, parts.next()) {
            (Some(f), Some(_)) => format!("{}/", Path::new(f.as_os_str()).display()),
            _ => ".".to_string(),
        };
        *counts.entry(key).or_default() += 1;
    }
    let mut out: Vec<DirectoryCount> = counts
        .into_iter()
        .map(|(dir, files)| DirectoryCount { dir, files })
        .collect();
    out.sort_by(|a, b| b.files.cmp(&a.files).then(a.dir.cmp(&b.dir)));
    out
}

pub(crate) fn overview(cx: &Cx) -> Overview {
    let flake = &cx.flake;
    let configurations = cx
        .confs
        .iter()
        .map(|c| ConfigurationInfo {
            output: c.conf.output.clone(),
            name: c.conf.name.clone(),
            built_with: match c.conf.call.as_ref().map(|k| &k.via) {
                Some(Via::Direct(t)) => BuiltWith::Direct(t.clone()),
                Some(Via::Helper { name, .. }) => BuiltWith::Helper(name.clone()),
                None => BuiltWith::Unknown,
            },
            span: cx.span(c.conf.entry.text_range()),
            system_modules: c
                .reach
                .files
                .iter()
                .filter(|(k, _)| *k == Kind::Nixos)
                .count(),
            home_modules: c
                .reach
                .files
                .iter()
                .filter(|(k, _)| *k == Kind::Home)
                .count(),
        })
        .collect();
    let lock = match &cx.lock {
        LockFile::Missing => None,
        LockFile::Unreadable(_) => None,
        LockFile::Present { lock, .. } => Some(lock),
    };
    let inputs = flake
        .inputs
        .iter()
        .map(|i| {
            let declared = i
                .follows
                .iter()
                .find(|(n, _)| n == "nixpkgs")
                .map(|(_, t)| t.clone());
            let nixpkgs = match (declared, lock.and_then(|l| l.nixpkgs_use(&i.name))) {
                (Some(t), _) => NixpkgsUse::Follows(t),
                (None, Some(u)) => match u {
                    crate::lock::NixpkgsUse::IsNixpkgs => NixpkgsUse::IsNixpkgs,
                    crate::lock::NixpkgsUse::NoNixpkgsInput => NixpkgsUse::NoNixpkgsInput,
                    crate::lock::NixpkgsUse::Follows(p) => NixpkgsUse::Follows(p.join("/")),
                    crate::lock::NixpkgsUse::Shared(_) => NixpkgsUse::Shared,
                    crate::lock::NixpkgsUse::Own(n) => NixpkgsUse::Own(n),
                },
                (None, None) if looks_like_nixpkgs(i.url.as_deref()) => NixpkgsUse::IsNixpkgs,
                (None, None) => NixpkgsUse::NotFollowed,
            };
            InputInfo {
                name: i.name.clone(),
                url: i.url.clone(),
                nixpkgs,
                span: cx.input_span(i),
            }
        })
        .collect();
    let mut not_followed: Vec<String> = Vec::new();
    for (_, _, text) in &cx.graph.opaque {
        if !not_followed.contains(text) {
            not_followed.push(text.clone());
        }
    }
    let lock_state = match &cx.lock {
        LockFile::Missing => LockState::Missing,
        LockFile::Unreadable(e) => LockState::Unreadable(e.clone()),
        LockFile::Present { .. } => match cx.is_tracked(&cx.lock_path) {
            Some(true) => LockState::Tracked,
            Some(false) => LockState::Untracked,
            None => LockState::Present,
        },
    };
    Overview {
        flake_lines: flake.file.text.lines().count(),
        description: description(cx),
        configurations,
        inputs,
        modules: ModuleSummary {
            system: dir_counts(cx, Kind::Nixos),
            home: dir_counts(cx, Kind::Home),
            not_followed,
        },
        lock: lock_state,
        nixpkgs_nodes: lock.map(|l| l.nixpkgs_nodes().len()),
        flake_parts: uses_flake_parts(cx),
        systems: systems(cx),
    }
}

fn looks_like_nixpkgs(url: Option<&str>) -> bool {
    url.is_some_and(|u| {
        let u = u.to_ascii_lowercase();
        u.starts_with("github:nixos/nixpkgs")
            || u == "nixpkgs"
            || u.starts_with("nixpkgs/")
            || u.contains("channels.nixos.org")
    })
}

fn description(cx: &Cx) -> Option<String> {
    let top = crate::syntax::unparen(cx.flake.file.root.first_child()?);
    crate::syntax::entry_values(&top, "description")
        .first()
        .and_then(crate::flake::string_literal)
}

fn uses_flake_parts(cx: &Cx) -> bool {
    let Some(outputs) = &cx.flake.outputs else {
        return false;
    };
    outputs.operands.iter().any(|op| {
        op.kind() == SyntaxKind::NODE_APPLY
            && op.descendants().any(|n| {
                n.kind() == SyntaxKind::NODE_SELECT
                    && n.text().to_string().ends_with("mkFlake")
                    && n.text().to_string().contains("flake-parts")
                    || n.kind() == SyntaxKind::NODE_IDENT && n.text() == "mkFlake"
            })
    })
}

/// System doubles written in flake.nix, as strings or attribute names.
fn systems(cx: &Cx) -> Vec<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    for n in cx.flake.file.root.descendants() {
        let name = match n.kind() {
            SyntaxKind::NODE_STRING => static_attr_name(&n),
            SyntaxKind::NODE_ATTRPATH => n.children().next().and_then(|a| static_attr_name(&a)),
            _ => None,
        };
        if let Some(name) = name.filter(|s| super::findings::is_system(s)) {
            found.insert(name);
        }
    }
    found.into_iter().collect()
}

pub(crate) fn done_well(cx: &Cx, findings: &[Finding]) -> Vec<Practice> {
    let has = |rule: Rule| findings.iter().any(|f| f.rule == rule);
    let mut out = Vec::new();

    // Inputs that follow nixpkgs.
    let following: Vec<_> = cx
        .flake
        .inputs
        .iter()
        .filter(|i| i.follows.iter().any(|(n, _)| n == "nixpkgs"))
        .collect();
    if !following.is_empty() {
        let names: Vec<String> = following.iter().map(|i| i.name.clone()).collect();
        let mut detail = format!(
            "{} {} nixpkgs (`inputs.<name>.inputs.nixpkgs.follows`), so {} against the same package set as the systems.",
            and_list(&names),
            if names.len() == 1 { "follows" } else { "follow" },
            if names.len() == 1 { "it builds" } else { "they build" },
        );
        if let LockFile::Present { lock, .. } = &cx.lock {
            if !has(Rule::InputWithoutFollows) {
                let n = lock.nixpkgs_nodes().len();
                detail.push_str(&format!(
                    " flake.lock confirms it: {n} nixpkgs node{} in all.",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        out.push(Practice {
            title: "Inputs follow nixpkgs".into(),
            detail,
            spans: following.iter().map(|i| cx.input_span(i)).collect(),
        });
    }

    // Home Manager settings.
    let integration: Vec<_> = cx.hm.iter().filter(|b| b.sets_integration()).collect();
    if !integration.is_empty()
        && integration
            .iter()
            .all(|b| b.is_true("useGlobalPkgs") && b.is_true("useUserPackages"))
    {
        out.push(Practice {
            title: "Home Manager shares the system's nixpkgs".into(),
            detail: "`useGlobalPkgs = true` and `useUserPackages = true`: one `pkgs` instance for system and users, and user packages installed through the system profile.".into(),
            spans: integration
                .iter()
                .map(|b| Span::of(&b.file, &b.lines, b.range))
                .collect(),
        });
    }
    if integration.len() == 1 && !has(Rule::HomeManagerRepeated) {
        let hosts = cx.hosts_loading(&integration[0].module);
        if hosts.len() >= 2 {
            out.push(Practice {
                title: "Home Manager integration configured once".into(),
                detail: format!(
                    "One module sets it up for {}; hosts only add their users.",
                    and_list(&hosts)
                ),
                spans: vec![Span::of(
                    &integration[0].file,
                    &integration[0].lines,
                    integration[0].range,
                )],
            });
        }
    }

    // Helpers used by every configuration of their output.
    if !has(Rule::HelperBypassed) {
        let mut by_helper: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut direct_outputs: BTreeSet<String> = BTreeSet::new();
        for c in &cx.confs {
            match c.conf.call.as_ref().map(|k| &k.via) {
                Some(Via::Helper { name, .. }) => by_helper
                    .entry(format!("{}\u{0}{name}", c.conf.output))
                    .or_default()
                    .push(c.label()),
                Some(Via::Direct(_)) => {
                    direct_outputs.insert(c.conf.output.clone());
                }
                None => {}
            }
        }
        for (key, users) in by_helper {
            let (output, name) = key.split_once('\u{0}').unwrap_or_default();
            if users.len() >= 2 && !direct_outputs.contains(output) {
                out.push(Practice {
                    title: format!("Every {output} entry goes through {name}"),
                    detail: format!(
                        "{} are all built by the `{name}` helper, so they share one base.",
                        and_list(&users)
                    ),
                    spans: Vec::new(),
                });
            }
        }
    }

    // Module files.
    let summary = ModuleSummary {
        system: dir_counts(cx, Kind::Nixos),
        home: dir_counts(cx, Kind::Home),
        not_followed: Vec::new(),
    };
    if summary.system_total() + summary.home_total() >= 3 {
        let describe = |dirs: &[DirectoryCount]| {
            let parts: Vec<String> = dirs
                .iter()
                .map(|d| {
                    if d.dir == "." {
                        format!("{} beside flake.nix", d.files)
                    } else {
                        format!("{} in `{}`", d.files, d.dir)
                    }
                })
                .collect();
            and_list(&parts)
        };
        let mut parts = Vec::new();
        if summary.system_total() > 0 {
            parts.push(format!(
                "{} system module files ({})",
                summary.system_total(),
                describe(&summary.system)
            ));
        }
        if summary.home_total() > 0 {
            parts.push(format!(
                "{} Home Manager module files ({})",
                summary.home_total(),
                describe(&summary.home)
            ));
        }
        out.push(Practice {
            title: "Modular structure".into(),
            detail: format!("Configuration lives in module files: {}.", and_list(&parts)),
            spans: Vec::new(),
        });
    }

    let systems = systems(cx);
    if systems.len() >= 2 {
        out.push(Practice {
            title: "Multi-architecture support".into(),
            detail: format!(
                "The flake names {} systems: {}.",
                systems.len(),
                and_list(&systems.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>())
            ),
            spans: Vec::new(),
        });
    }

    if uses_flake_parts(cx) {
        out.push(Practice {
            title: "Outputs organised with flake-parts".into(),
            detail: "`flake-parts.lib.mkFlake` generates the per-system outputs from `perSystem`."
                .into(),
            spans: Vec::new(),
        });
    }

    if let Some(span) = revision_tracking(cx) {
        out.push(Practice {
            title: "Build metadata tracking".into(),
            detail: "The flake's revision (`self.rev`, `self.dirtyRev`...) goes into the build, which helps to tell what a machine runs.".into(),
            spans: vec![span],
        });
    }

    match &cx.lock {
        LockFile::Present { .. } if cx.is_tracked(&cx.lock_path) == Some(true) => {
            out.push(Practice {
                title: "flake.lock is tracked by git".into(),
                detail: "Every checkout builds from the same pinned inputs.".into(),
                spans: Vec::new(),
            })
        }
        LockFile::Present { .. } if cx.is_tracked(&cx.lock_path).is_none() => {
            out.push(Practice {
                title: "flake.lock pins the inputs".into(),
                detail: "The inputs are locked (the flake is not in a git repository, so whether the lock is committed is unknown).".into(),
                spans: Vec::new(),
            })
        }
        _ => {}
    }

    if !has(Rule::MonolithicFlake) && cx.flake.outputs.is_some() {
        out.push(Practice {
            title: "flake.nix stays small".into(),
            detail: format!(
                "{} lines, within the threshold of {}.",
                cx.flake.file.text.lines().count(),
                cx.options.max_lines
            ),
            spans: Vec::new(),
        });
    }
    out
}

/// Where flake.nix puts its revision into a build: `self.rev` and the like,
/// preferably inside a NixOS module.
fn revision_tracking(cx: &Cx) -> Option<Span> {
    let reads: Vec<rnix::SyntaxNode> = cx
        .flake
        .file
        .root
        .descendants()
        .filter(|n| {
            if n.kind() != SyntaxKind::NODE_SELECT {
                return false;
            }
            let base_self = n
                .first_child()
                .is_some_and(|b| b.kind() == SyntaxKind::NODE_IDENT && b.text() == "self");
            let first = n
                .children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                .and_then(|p| p.children().next())
                .and_then(|a| static_attr_name(&a));
            base_self
                && first
                    .as_deref()
                    .is_some_and(|f| matches!(f, "rev" | "dirtyRev" | "shortRev" | "dirtyShortRev"))
        })
        .collect();
    let in_module = reads.iter().find(|n| {
        cx.graph.inline.iter().any(|(k, f, m)| {
            *k == Kind::Nixos
                && f == &cx.flake.path
                && m.text_range().contains_range(n.text_range())
        })
    });
    in_module.or(reads.first()).map(|n| cx.span(n.text_range()))
}
