//! `flake.lock`: the locked input graph of a flake.
//!
//! A lock file (version 5 to 7) is a graph of nodes keyed by name. The
//! `root` node is the flake itself; each node's `inputs` name either another
//! node (the input has a lock entry of its own) or a *follows* path of input
//! names walked from the root (`"nixpkgs": ["nixpkgs"]` is what
//! `inputs.nixpkgs.follows = "nixpkgs"` locks to). Only what the analyses
//! need is modelled; unknown fields are ignored.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use serde::Deserialize;

/// A parsed `flake.lock`.
#[derive(Debug, Clone, Deserialize)]
pub struct Lock {
    /// The lock file format version (7 for current Nix).
    pub version: u32,
    /// The name of the root node (always `root` in practice).
    pub root: String,
    /// Every node by name.
    pub nodes: BTreeMap<String, Node>,
}

/// One node of the lock graph.
#[derive(Debug, Clone, Deserialize)]
pub struct Node {
    /// The node's inputs by name.
    #[serde(default)]
    pub inputs: BTreeMap<String, InputRef>,
    /// The locked source (absent for the root).
    #[serde(default)]
    pub locked: Option<Source>,
    /// The source as written in the flake that declared it.
    #[serde(default)]
    pub original: Option<Source>,
}

/// Where an input of a node points.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum InputRef {
    /// A node of its own.
    Node(String),
    /// A follows path of input names, walked from the root node.
    Follows(Vec<String>),
}

/// A source reference (`locked` or `original`), the fields we read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Source {
    /// `github`, `gitlab`, `git`, `path`, `tarball`, `indirect`...
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Repository owner (`github`, `gitlab`, `sourcehut`).
    #[serde(default)]
    pub owner: Option<String>,
    /// Repository name (`github`, `gitlab`, `sourcehut`).
    #[serde(default)]
    pub repo: Option<String>,
    /// URL (`git`, `tarball`, `file`, `mercurial`).
    #[serde(default)]
    pub url: Option<String>,
    /// Registry id (`indirect`).
    #[serde(default)]
    pub id: Option<String>,
    /// Branch or tag (`ref`).
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// Commit.
    #[serde(default)]
    pub rev: Option<String>,
    /// Local path (`path`).
    #[serde(default)]
    pub path: Option<String>,
    /// Commit time of the locked revision, seconds since 1970 (`locked` only).
    #[serde(rename = "lastModified", default)]
    pub last_modified: Option<i64>,
}

impl Source {
    /// The source as a flake reference, e.g. `github:NixOS/nixpkgs/nixos-24.11`,
    /// `path:/x`, `flake:nixpkgs`, `git+https://...`; `None` when the fields
    /// needed are missing.
    pub fn describe(&self) -> Option<String> {
        match self.kind.as_deref()? {
            t @ ("github" | "gitlab" | "sourcehut") => {
                let mut s = format!(
                    "{t}:{}/{}",
                    self.owner.as_deref().unwrap_or("?"),
                    self.repo.as_deref().unwrap_or("?")
                );
                if let Some(r) = self.reference.as_ref().or(self.rev.as_ref()) {
                    s.push('/');
                    s.push_str(r);
                }
                Some(s)
            }
            "path" => self.path.as_ref().map(|p| format!("path:{p}")),
            "indirect" => self.id.as_ref().map(|id| format!("flake:{id}")),
            t => self.url.as_ref().map(|u| format!("{t}+{u}")),
        }
    }
}

/// A nixpkgs node that the root's own inputs do not name: some input brings
/// its own copy of nixpkgs instead of following the flake's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraNixpkgs {
    /// Input names from the root to the node, e.g. `["nix-darwin", "nixpkgs"]`.
    pub path: Vec<String>,
    /// The node's name in the lock file, e.g. `nixpkgs_2`.
    pub node: String,
}

/// How a root input gets its nixpkgs, according to the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NixpkgsUse {
    /// The input is itself a nixpkgs.
    IsNixpkgs,
    /// It has no input that is a nixpkgs.
    NoNixpkgsInput,
    /// Its nixpkgs input follows another input (the follows path).
    Follows(Vec<String>),
    /// Its nixpkgs input is one of the root's own nixpkgs nodes without
    /// `follows` (the lock file deduplicated it).
    Shared(String),
    /// It has a nixpkgs node of its own.
    Own(String),
}

impl Lock {
    /// Parse the text of a `flake.lock`.
    pub fn parse(text: &str) -> Result<Lock, String> {
        let lock: Lock = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if !lock.nodes.contains_key(&lock.root) {
            return Err(format!("the root node `{}` is missing", lock.root));
        }
        Ok(lock)
    }

    /// The node an input reference leads to (following `follows` paths from
    /// the root); `None` for a dangling reference or a cycle.
    pub fn resolve(&self, input: &InputRef) -> Option<&str> {
        self.resolve_depth(input, 0)
    }

    fn resolve_depth(&self, input: &InputRef, depth: usize) -> Option<&str> {
        if depth > 64 {
            return None;
        }
        match input {
            InputRef::Node(n) => self.nodes.get_key_value(n).map(|(k, _)| k.as_str()),
            InputRef::Follows(path) => {
                let mut node = self.root.as_str();
                for name in path {
                    let next = self.nodes.get(node)?.inputs.get(name)?;
                    node = self.resolve_depth(next, depth + 1)?;
                }
                Some(node)
            }
        }
    }

    /// `[input, name]` for the first root input that brings a flake-parts
    /// node of its own (`nixvim/flake-parts`), which another input can follow.
    pub fn flake_parts_via_input(&self) -> Option<Vec<String>> {
        for (input, node) in self.root_inputs() {
            let Some(node) = node.and_then(|n| self.nodes.get(&n)) else {
                continue;
            };
            for (name, r) in &node.inputs {
                let InputRef::Node(target) = r else { continue };
                let Some(t) = self.nodes.get(target) else {
                    continue;
                };
                let repo = t.original.as_ref().and_then(|o| o.repo.as_deref());
                let owner = t.original.as_ref().and_then(|o| o.owner.as_deref());
                if repo == Some("flake-parts") && owner == Some("hercules-ci") {
                    return Some(vec![input.clone(), name.clone()]);
                }
            }
        }
        None
    }

    /// The root's inputs: name and the node each resolves to.
    pub fn root_inputs(&self) -> Vec<(String, Option<String>)> {
        let Some(root) = self.nodes.get(&self.root) else {
            return Vec::new();
        };
        root.inputs
            .iter()
            .map(|(name, r)| (name.clone(), self.resolve(r).map(str::to_string)))
            .collect()
    }

    /// Whether the node is a nixpkgs: a `github`/`gitlab` repository called
    /// `nixpkgs`, the registry id `nixpkgs`, or a git or tarball URL of a
    /// nixpkgs repository or a NixOS channel.
    pub fn is_nixpkgs(&self, node: &str) -> bool {
        let Some(n) = self.nodes.get(node) else {
            return false;
        };
        [&n.original, &n.locked].into_iter().flatten().any(|s| {
            let repo = s
                .repo
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("nixpkgs"));
            let id = s.id.as_deref() == Some("nixpkgs");
            let url = s.url.as_deref().is_some_and(|u| {
                let u = u.to_ascii_lowercase();
                u.contains("/nixpkgs")
                    || u.contains("channels.nixos.org")
                    || u.contains("nixos.org/channels")
            });
            repo || id || url
        })
    }

    /// The nixpkgs nodes reachable from the root.
    pub fn nixpkgs_nodes(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([self.root.clone()]);
        let mut out = BTreeSet::new();
        while let Some(node) = queue.pop_front() {
            if !seen.insert(node.clone()) {
                continue;
            }
            if self.is_nixpkgs(&node) {
                out.insert(node.clone());
            }
            if let Some(n) = self.nodes.get(&node) {
                for r in n.inputs.values() {
                    if let Some(next) = self.resolve(r) {
                        queue.push_back(next.to_string());
                    }
                }
            }
        }
        out
    }

    /// The nixpkgs nodes the root's inputs do not name themselves, each with
    /// the first input path (breadth-first) that reaches it.
    pub fn extra_nixpkgs(&self) -> Vec<ExtraNixpkgs> {
        let own: BTreeSet<String> = self
            .root_inputs()
            .into_iter()
            .filter_map(|(_, n)| n)
            .collect();
        let mut out: Vec<ExtraNixpkgs> = Vec::new();
        let mut seen = BTreeSet::from([self.root.clone()]);
        let mut queue: VecDeque<(String, Vec<String>)> =
            VecDeque::from([(self.root.clone(), Vec::new())]);
        while let Some((node, path)) = queue.pop_front() {
            let Some(n) = self.nodes.get(&node) else {
                continue;
            };
            for (name, r) in &n.inputs {
                // A follows path points at a node reached some other way.
                let InputRef::Node(target) = r else { continue };
                let mut p = path.clone();
                p.push(name.clone());
                if self.is_nixpkgs(target) {
                    if !own.contains(target) && !out.iter().any(|e| &e.node == target) {
                        out.push(ExtraNixpkgs {
                            path: p,
                            node: target.clone(),
                        });
                    }
                } else if seen.insert(target.clone()) {
                    queue.push_back((target.clone(), p));
                }
            }
        }
        out
    }

    /// How root input `name` gets its nixpkgs; `None` when the lock file
    /// does not know the input.
    pub fn nixpkgs_use(&self, name: &str) -> Option<NixpkgsUse> {
        let root = self.nodes.get(&self.root)?;
        let node = self.resolve(root.inputs.get(name)?)?;
        if self.is_nixpkgs(node) {
            return Some(NixpkgsUse::IsNixpkgs);
        }
        let own: BTreeSet<String> = self
            .root_inputs()
            .into_iter()
            .filter_map(|(_, n)| n)
            .collect();
        let inputs = &self.nodes.get(node)?.inputs;
        // Prefer the input called `nixpkgs`, then any other that is one.
        let mut candidates: Vec<(&String, &InputRef)> = inputs.iter().collect();
        candidates.sort_by_key(|(n, _)| n.as_str() != "nixpkgs");
        for (_, r) in candidates {
            let Some(target) = self.resolve(r) else {
                continue;
            };
            if !self.is_nixpkgs(target) {
                continue;
            }
            return Some(match r {
                InputRef::Follows(path) => NixpkgsUse::Follows(path.clone()),
                InputRef::Node(t) if own.contains(t) => NixpkgsUse::Shared(t.clone()),
                InputRef::Node(t) => NixpkgsUse::Own(t.clone()),
            });
        }
        Some(NixpkgsUse::NoNixpkgsInput)
    }
}

/// The line of development a nixpkgs node follows, read from its
/// `original` reference (what the flake that declared it wrote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// The development line: `master`, `nixos-unstable`, `nixpkgs-unstable`
    /// (and their `-small` variants), or no branch at all (the default
    /// branch; the registry's `nixpkgs` is `nixpkgs-unstable`).
    Unstable,
    /// A release branch (`nixos-24.11`, `nixpkgs-24.11-darwin`,
    /// `release-24.11`) or tag: the version, `24.11`.
    Release(String),
    /// A fixed commit, written in the reference itself.
    Commit(String),
    /// Another branch or tag.
    Other(String),
    /// Not known from the reference (a local path, a URL without a branch).
    Unknown,
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Channel::Unstable => f.write_str("the unstable line"),
            Channel::Release(v) => write!(f, "release {v}"),
            Channel::Commit(rev) => write!(f, "commit {}", short_rev(rev)),
            Channel::Other(r) => write!(f, "`{r}`"),
            Channel::Unknown => f.write_str("an unknown branch"),
        }
    }
}

/// The first 7 characters of a revision.
pub fn short_rev(rev: &str) -> &str {
    rev.get(..7).unwrap_or(rev)
}

/// A release number `YY.MM` in `text` (also written `YYMM`, `YY_MM` or
/// `YY-MM` for May and November releases when `compact` is set), e.g.
/// `23.05` in `nixos-23.05`, `2305` in `nixpkgs-2305`, `23-11` in
/// `nixpkgs-23-11`.
fn release_in(text: &str, compact: bool) -> Option<String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for i in 0..b.len() {
        // The number starts at a non-digit boundary.
        if !digit(i) || (i > 0 && digit(i - 1)) {
            continue;
        }
        let ends = |j: usize| !digit(j);
        if digit(i + 1)
            && b.get(i + 2) == Some(&b'.')
            && digit(i + 3)
            && digit(i + 4)
            && ends(i + 5)
        {
            return Some(text[i..i + 5].to_string());
        }
        if compact
            && digit(i + 1)
            && matches!(b.get(i + 2), Some(b'_' | b'-'))
            && digit(i + 3)
            && digit(i + 4)
            && ends(i + 5)
            && matches!(&text[i + 3..i + 5], "05" | "11")
        {
            return Some(format!("{}.{}", &text[i..i + 2], &text[i + 3..i + 5]));
        }
        if compact && digit(i + 1) && digit(i + 2) && digit(i + 3) && ends(i + 4) {
            let month = &text[i + 2..i + 4];
            if month == "05" || month == "11" {
                return Some(format!("{}.{month}", &text[i..i + 2]));
            }
        }
    }
    None
}

fn is_commit(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The line a branch or tag name belongs to.
fn channel_of_ref(r: &str) -> Channel {
    let r = r
        .strip_prefix("refs/heads/")
        .or_else(|| r.strip_prefix("refs/tags/"))
        .unwrap_or(r);
    if is_commit(r) {
        Channel::Commit(r.to_string())
    } else if r == "master" || r == "main" || r.contains("unstable") {
        Channel::Unstable
    } else if let Some(v) = release_in(r, false) {
        Channel::Release(v)
    } else {
        Channel::Other(r.to_string())
    }
}

/// Why an input name says its nixpkgs is pinned on purpose: a regression
/// test (`nixpkgs-regression`), or a release number (`nixpkgs-2305`,
/// `nixpkgs-23_05`) other than `own`, the release the flake's nixpkgs
/// follows.
pub fn pinned_name(name: &str, own: Option<&str>) -> Option<String> {
    if name.to_ascii_lowercase().contains("regression") {
        return Some(format!(
            "its input name `{name}` marks a nixpkgs kept for regression tests"
        ));
    }
    let v = release_in(name, true)?;
    (Some(v.as_str()) != own)
        .then(|| format!("its input name `{name}` names release {v} (a version or test pin)"))
}

/// One locked revision as the summary shows it: `be1fbe1 (2024-11-07,
/// nixpkgs-unstable; lock node nixpkgs_2)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The node's name.
    pub node: String,
    /// The locked commit, when the lock has it.
    pub rev: Option<String>,
    /// The commit date (`YYYY-MM-DD`, UTC) from `lastModified`.
    pub date: Option<String>,
    /// The branch from `original.ref` (or the reference, when no branch).
    pub branch: Option<String>,
}

impl std::fmt::Display for Revision {
    /// `cd66f40 (2024-11-30, nixos-unstable; lock node nixpkgs_2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rev = self.rev.as_deref().map_or("no locked revision", short_rev);
        let mut about: Vec<&str> = Vec::new();
        if let Some(d) = &self.date {
            about.push(d);
        }
        about.push(self.branch.as_deref().unwrap_or("default branch"));
        write!(f, "{rev} ({}; lock node {})", about.join(", "), self.node)
    }
}

/// `YYYY-MM-DD` (UTC) of a time in seconds since 1970.
pub fn date_of(seconds: i64) -> String {
    // Days to a civil date (proleptic Gregorian calendar), with eras of
    // 400 years starting on 1 March.
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// An input deeper in the graph that duplicates one of the root's inputs:
/// the same project at the same reference, locked as a node of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Input names from the root to it, e.g. `["deploy-rs", "utils"]`.
    pub path: Vec<String>,
    /// Its node.
    pub node: String,
    /// The root input it duplicates, e.g. `flake-utils`.
    pub target: String,
}

impl Lock {
    /// The line the nixpkgs node `node` follows (see [`Channel`]).
    pub fn channel(&self, node: &str) -> Channel {
        let Some(n) = self.nodes.get(node) else {
            return Channel::Unknown;
        };
        let Some(o) = &n.original else {
            return Channel::Unknown;
        };
        if let Some(r) = &o.reference {
            return channel_of_ref(r);
        }
        if let Some(rev) = &o.rev {
            return Channel::Commit(rev.clone());
        }
        match o.kind.as_deref() {
            Some("github" | "gitlab" | "sourcehut" | "indirect") => Channel::Unstable,
            _ => {
                let url = o.url.as_deref().unwrap_or_default();
                let last = url
                    .trim_end_matches(".tar.gz")
                    .rsplit('/')
                    .next()
                    .unwrap_or_default();
                if is_commit(last) {
                    Channel::Commit(last.to_string())
                } else if url.contains("unstable") {
                    Channel::Unstable
                } else if let Some(v) = release_in(url, false) {
                    Channel::Release(v)
                } else {
                    Channel::Unknown
                }
            }
        }
    }

    /// The root input whose nixpkgs the others should follow: the one
    /// called `nixpkgs`, else the first that is a nixpkgs; with its node.
    pub fn own_nixpkgs(&self) -> Option<(String, String)> {
        let roots = self.root_inputs();
        let is = |node: &Option<String>| node.as_deref().is_some_and(|x| self.is_nixpkgs(x));
        roots
            .iter()
            .find(|(n, node)| n == "nixpkgs" && is(node))
            .or_else(|| roots.iter().find(|(_, node)| is(node)))
            .and_then(|(n, node)| Some((n.clone(), node.clone()?)))
    }

    /// Why the extra nixpkgs `extra` is pinned on purpose, so that following
    /// the flake's own nixpkgs (`own`, a node) would defeat its purpose:
    /// its input name names a release or a regression test, its reference
    /// is a fixed commit, or a release branch other than the flake's own
    /// line. `None` when it follows a branch the input could share.
    pub fn pin_reason(&self, extra: &ExtraNixpkgs, own: Option<&str>) -> Option<String> {
        let own_channel = own.map(|o| self.channel(o));
        let own_release = match &own_channel {
            Some(Channel::Release(v)) => Some(v.as_str()),
            _ => None,
        };
        if let Some(name) = extra.path.last() {
            if let Some(why) = pinned_name(name, own_release) {
                return Some(why);
            }
        }
        match self.channel(&extra.node) {
            Channel::Commit(rev) => Some(format!(
                "it is locked to the fixed commit {} written in the input's own flake.nix",
                short_rev(&rev)
            )),
            Channel::Release(v) if own_channel != Some(Channel::Release(v.clone())) => {
                Some(format!(
                    "it follows release {v}, while the flake's nixpkgs follows {}",
                    own_channel.unwrap_or(Channel::Unknown)
                ))
            }
            _ => None,
        }
    }

    /// Whether two nixpkgs nodes follow the same line (both unstable, the
    /// same release, or the same other branch).
    pub fn same_channel(&self, a: &str, b: &str) -> bool {
        match (self.channel(a), self.channel(b)) {
            (Channel::Unknown, _) | (_, Channel::Unknown) => false,
            (x, y) => x == y,
        }
    }

    /// The revision of node `node`, for summaries.
    pub fn revision(&self, node: &str) -> Revision {
        let n = self.nodes.get(node);
        let locked = n.and_then(|n| n.locked.as_ref());
        let original = n.and_then(|n| n.original.as_ref());
        Revision {
            node: node.to_string(),
            rev: locked.and_then(|l| l.rev.clone()),
            date: locked.and_then(|l| l.last_modified).map(date_of),
            branch: original.and_then(|o| {
                o.reference
                    .clone()
                    .or_else(|| o.rev.as_deref().map(|r| short_rev(r).to_string()))
            }),
        }
    }

    /// What identifies the project and reference a node was declared as:
    /// `github:numtide/flake-utils` plus its `ref`; `None` for local paths.
    fn identity(&self, node: &str) -> Option<(String, Option<String>)> {
        let o = self.nodes.get(node)?.original.as_ref()?;
        let project = match o.kind.as_deref()? {
            t @ ("github" | "gitlab" | "sourcehut") => format!(
                "{t}:{}/{}",
                o.owner.as_deref()?.to_ascii_lowercase(),
                o.repo.as_deref()?.to_ascii_lowercase()
            ),
            "indirect" => format!("flake:{}", o.id.as_deref()?),
            "path" => return None,
            t => format!("{t}+{}", o.url.as_deref()?),
        };
        Some((project, o.reference.clone().or_else(|| o.rev.clone())))
    }

    /// Inputs below the root's inputs that duplicate a root input (same
    /// project, same reference) with a node of their own, breadth-first,
    /// each with the first path that reaches it; the subtree of a duplicate
    /// is not searched (it goes when the duplicate follows). Nixpkgs nodes
    /// are left to [`Lock::extra_nixpkgs`].
    pub fn duplicates(&self) -> Vec<Duplicate> {
        let roots = self.root_inputs();
        let mut by_identity: BTreeMap<(String, Option<String>), String> = BTreeMap::new();
        let own: BTreeSet<String> = roots.iter().filter_map(|(_, n)| n.clone()).collect();
        for (name, node) in &roots {
            if let Some(id) = node.as_deref().and_then(|n| self.identity(n)) {
                by_identity.entry(id).or_insert_with(|| name.clone());
            }
        }
        let mut out: Vec<Duplicate> = Vec::new();
        let mut seen = BTreeSet::from([self.root.clone()]);
        let mut queue: VecDeque<(String, Vec<String>)> =
            VecDeque::from([(self.root.clone(), Vec::new())]);
        while let Some((node, path)) = queue.pop_front() {
            let Some(n) = self.nodes.get(&node) else {
                continue;
            };
            for (name, r) in &n.inputs {
                let InputRef::Node(target) = r else { continue };
                let mut p = path.clone();
                p.push(name.clone());
                if !path.is_empty() && !own.contains(target) && !self.is_nixpkgs(target) {
                    let dup = self.identity(target).and_then(|id| by_identity.get(&id));
                    if let Some(root_input) = dup {
                        if !out.iter().any(|d| &d.node == target) {
                            out.push(Duplicate {
                                path: p,
                                node: target.clone(),
                                target: root_input.clone(),
                            });
                        }
                        continue;
                    }
                }
                if seen.insert(target.clone()) {
                    queue.push_back((target.clone(), p));
                }
            }
        }
        out
    }
}

/// Rewrite the text of a lock file so that each input at a path of input
/// names (`["agenix", "nixpkgs"]`) follows the given path
/// (`["nixpkgs"]`), as `nix flake lock` writes it after the matching
/// `follows` is added to flake.nix: the input's entry becomes the follows
/// path, nodes no longer reachable from the root are dropped, and the nodes
/// are named again the way Nix names them (depth first from the root,
/// inputs in sorted order, a node keyed by the input name that reaches it
/// first, `_2`, `_3`... on a clash). The layout is Nix's: sorted keys,
/// two-space indent, a final newline. Nothing is fetched: a follows only
/// points at nodes already locked.
pub fn rewrite_follows(
    text: &str,
    changes: &[(Vec<String>, Vec<String>)],
) -> Result<String, String> {
    use serde_json::{Map, Value};
    let mut doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let root = doc
        .get("root")
        .and_then(Value::as_str)
        .ok_or("no `root` in the lock file")?
        .to_string();
    let mut nodes: Map<String, Value> = match doc.get_mut("nodes").map(Value::take) {
        Some(Value::Object(m)) => m,
        _ => return Err("no `nodes` in the lock file".into()),
    };
    let lock = Lock::parse(text)?;
    for (path, follows) in changes {
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        let parent = if parents.is_empty() {
            root.clone()
        } else {
            lock.resolve(&InputRef::Follows(parents.to_vec()))
                .ok_or_else(|| format!("no input {} in the lock file", parents.join("/")))?
                .to_string()
        };
        let inputs = nodes
            .get_mut(&parent)
            .and_then(|n| n.as_object_mut())
            .ok_or_else(|| format!("no node {parent} in the lock file"))?
            .entry("inputs")
            .or_insert_with(|| Value::Object(Map::new()));
        let inputs = inputs
            .as_object_mut()
            .ok_or_else(|| format!("the inputs of node {parent} are not an object"))?;
        inputs.insert(
            last.clone(),
            Value::Array(follows.iter().cloned().map(Value::String).collect()),
        );
    }

    struct Namer<'a> {
        nodes: &'a Map<String, Value>,
        names: HashMap<String, String>,
        taken: HashSet<String>,
        out: BTreeMap<String, Value>,
    }
    impl Namer<'_> {
        fn dump(&mut self, key: &str, old: &str) -> Result<String, String> {
            if let Some(new) = self.names.get(old) {
                return Ok(new.clone());
            }
            let mut key = key.to_string();
            if !self.taken.insert(key.clone()) {
                key = (2..)
                    .map(|n| format!("{key}_{n}"))
                    .find(|k| !self.taken.contains(k))
                    .unwrap_or_default();
                self.taken.insert(key.clone());
            }
            self.names.insert(old.to_string(), key.clone());
            let node = self
                .nodes
                .get(old)
                .and_then(Value::as_object)
                .ok_or_else(|| format!("the lock file names node {old}, which it does not hold"))?;
            let mut new = serde_json::Map::new();
            for (k, v) in node {
                if k != "inputs" {
                    new.insert(k.clone(), v.clone());
                }
            }
            let mut inputs = serde_json::Map::new();
            if let Some(Value::Object(old_inputs)) = node.get("inputs") {
                let sorted: BTreeMap<&String, &Value> = old_inputs.iter().collect();
                for (name, r) in sorted {
                    let v = match r {
                        Value::String(child) => Value::String(self.dump(name, child)?),
                        other => other.clone(),
                    };
                    inputs.insert(name.clone(), v);
                }
            }
            if !inputs.is_empty() {
                new.insert("inputs".into(), Value::Object(inputs));
            }
            self.out.insert(key.clone(), Value::Object(new));
            Ok(key)
        }
    }
    let mut namer = Namer {
        nodes: &nodes,
        names: HashMap::new(),
        taken: HashSet::new(),
        out: BTreeMap::new(),
    };
    let root_key = namer.dump("root", &root)?;
    let out_nodes: Map<String, Value> = std::mem::take(&mut namer.out).into_iter().collect();
    let mut top = Map::new();
    top.insert("nodes".into(), Value::Object(out_nodes));
    top.insert("root".into(), Value::String(root_key));
    top.insert("version".into(), Value::from(7));
    let mut text =
        serde_json::to_string_pretty(&sorted(Value::Object(top))).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// A JSON value with the keys of every object in sorted order (what Nix's
/// JSON library writes), whatever order the map type keeps.
fn sorted(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let b: BTreeMap<String, Value> = m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(b.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// 1-based (line, column) of node `name`'s definition in the text of a lock
/// file (`"name": {`), for pointing at it; `None` when not found.
pub fn node_position(text: &str, name: &str) -> Option<(usize, usize)> {
    let key = serde_json::to_string(name).ok()?;
    let nodes_at = text.find("\"nodes\"")?;
    let mut from = nodes_at;
    while let Some(i) = text[from..].find(&key) {
        let at = from + i;
        let rest = text[at + key.len()..].trim_start();
        if let Some(after_colon) = rest.strip_prefix(':') {
            if after_colon.trim_start().starts_with('{') {
                let line = text[..at].matches('\n').count() + 1;
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let col = text[line_start..at].chars().count() + 1;
                return Some((line, col));
            }
        }
        from = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"{
  "nodes": {
    "darwin": {
      "inputs": { "nixpkgs": "nixpkgs_2" },
      "locked": { "owner": "LnL7", "repo": "nix-darwin", "type": "github" },
      "original": { "owner": "LnL7", "repo": "nix-darwin", "type": "github" }
    },
    "home-manager": {
      "inputs": { "nixpkgs": [ "nixpkgs" ] },
      "locked": { "owner": "nix-community", "repo": "home-manager", "type": "github" }
    },
    "nixpkgs": {
      "locked": { "owner": "NixOS", "repo": "nixpkgs", "type": "github" }
    },
    "nixpkgs_2": {
      "locked": { "owner": "NixOS", "repo": "nixpkgs", "type": "github" }
    },
    "tools": {
      "inputs": { "utils": "utils" },
      "locked": { "type": "git", "url": "https://example.org/tools" }
    },
    "utils": {
      "inputs": { "pkgs": "nixpkgs_3" },
      "locked": { "type": "path", "path": "/x" }
    },
    "nixpkgs_3": {
      "locked": { "type": "tarball", "url": "https://channels.nixos.org/nixos-24.11/nixexprs.tar.xz" }
    },
    "root": {
      "inputs": { "darwin": "darwin", "home-manager": "home-manager", "nixpkgs": "nixpkgs", "tools": "tools" }
    }
  },
  "root": "root",
  "version": 7
}"#;

    #[test]
    fn finds_nixpkgs_that_inputs_bring_themselves() {
        let lock = Lock::parse(LOCK).unwrap();
        assert_eq!(
            lock.nixpkgs_nodes().into_iter().collect::<Vec<_>>(),
            ["nixpkgs", "nixpkgs_2", "nixpkgs_3"]
        );
        assert_eq!(
            lock.extra_nixpkgs(),
            [
                ExtraNixpkgs {
                    path: vec!["darwin".into(), "nixpkgs".into()],
                    node: "nixpkgs_2".into()
                },
                ExtraNixpkgs {
                    path: vec!["tools".into(), "utils".into(), "pkgs".into()],
                    node: "nixpkgs_3".into()
                },
            ]
        );
        assert_eq!(
            lock.nixpkgs_use("home-manager"),
            Some(NixpkgsUse::Follows(vec!["nixpkgs".into()]))
        );
        assert_eq!(
            lock.nixpkgs_use("darwin"),
            Some(NixpkgsUse::Own("nixpkgs_2".into()))
        );
        assert_eq!(lock.nixpkgs_use("nixpkgs"), Some(NixpkgsUse::IsNixpkgs));
        assert_eq!(lock.nixpkgs_use("tools"), Some(NixpkgsUse::NoNixpkgsInput));
        assert_eq!(lock.nixpkgs_use("absent"), None);
        assert_eq!(node_position(LOCK, "nixpkgs_2"), Some((15, 5)));
        assert_eq!(node_position(LOCK, "nope"), None);
    }

    #[test]
    fn follows_paths_resolve_through_nested_inputs_and_cycles_end() {
        let lock = Lock::parse(
            r#"{ "version": 7, "root": "root", "nodes": {
                "root": { "inputs": { "a": "a", "b": ["a", "b"] } },
                "a": { "inputs": { "b": "b", "loop": ["c"] } },
                "b": {},
                "c": { "inputs": {} }
            } }"#,
        )
        .unwrap();
        assert_eq!(
            lock.resolve(&InputRef::Follows(vec!["a".into(), "b".into()])),
            Some("b")
        );
        assert_eq!(lock.resolve(&InputRef::Follows(vec!["zzz".into()])), None);
        assert!(lock.extra_nixpkgs().is_empty());
        assert!(Lock::parse("{").is_err());
        assert!(Lock::parse(r#"{ "version": 7, "root": "r", "nodes": {} }"#).is_err());
    }

    #[test]
    fn channels_and_release_numbers() {
        assert_eq!(
            channel_of_ref("nixos-24.11"),
            Channel::Release("24.11".into())
        );
        assert_eq!(
            channel_of_ref("nixpkgs-23.05-darwin"),
            Channel::Release("23.05".into())
        );
        assert_eq!(
            channel_of_ref("release-24.05"),
            Channel::Release("24.05".into())
        );
        assert_eq!(channel_of_ref("refs/heads/master"), Channel::Unstable);
        assert_eq!(channel_of_ref("nixos-unstable-small"), Channel::Unstable);
        assert_eq!(channel_of_ref("nixpkgs-unstable"), Channel::Unstable);
        assert_eq!(channel_of_ref("staging"), Channel::Other("staging".into()));
        let rev = "215d4d0fd80ca5163643b03a33fde804a29cc1e2";
        assert_eq!(channel_of_ref(rev), Channel::Commit(rev.into()));
        assert_eq!(release_in("nixpkgs-2305", true).as_deref(), Some("23.05"));
        assert_eq!(release_in("nixpkgs-23_11", true).as_deref(), Some("23.11"));
        assert_eq!(release_in("nixpkgs-23-11", true).as_deref(), Some("23.11"));
        assert_eq!(release_in("nixpkgs-2305", false), None);
        // Not a release: a year, other months, longer numbers.
        assert_eq!(release_in("nixpkgs-2024", true), None);
        assert_eq!(release_in("tool-123.456", false), None);
        assert_eq!(release_in("v1-02", true), None);
        assert!(pinned_name("nixpkgs-regression", None)
            .unwrap()
            .contains("regression tests"));
        assert!(pinned_name("nixpkgs-2305", Some("24.11")).is_some());
        assert_eq!(pinned_name("nixpkgs-2411", Some("24.11")), None);
        assert_eq!(pinned_name("nixpkgs-stable", Some("24.11")), None);
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_733_000_000), "2024-11-30");
        assert_eq!(date_of(951_782_400), "2000-02-29");
    }

    fn node(reference: Option<&str>, rev: Option<&str>) -> String {
        let mut original =
            serde_json::json!({ "owner": "NixOS", "repo": "nixpkgs", "type": "github" });
        if let Some(r) = reference {
            original["ref"] = r.into();
        }
        if let Some(r) = rev {
            original["rev"] = r.into();
        }
        serde_json::json!({
            "locked": { "lastModified": 1_733_000_000, "owner": "NixOS", "repo": "nixpkgs", "rev": "cd66f40ff4c697276cd37bc502b9ccc158e3716e", "type": "github" },
            "original": original
        })
        .to_string()
    }

    #[test]
    fn pins_are_names_commits_and_other_releases() {
        let text = format!(
            r#"{{ "version": 7, "root": "root", "nodes": {{
                "root": {{ "inputs": {{ "nixpkgs": "nixpkgs", "a": "a" }} }},
                "a": {{ "inputs": {{ "nixpkgs": "n1", "nixpkgs-2305": "n2", "old": "n3", "pinned": "n4", "dev": "n5", "other": "n6" }} }},
                "nixpkgs": {},
                "n1": {}, "n2": {}, "n3": {}, "n4": {}, "n5": {}, "n6": {}
            }} }}"#,
            node(Some("nixos-24.11"), None),
            node(Some("nixos-24.11"), None),
            node(Some("nixpkgs-23.05-darwin"), None),
            node(Some("nixos-23.11"), None),
            node(None, Some("215d4d0fd80ca5163643b03a33fde804a29cc1e2")),
            node(Some("nixos-unstable"), None),
            node(Some("release-24.11"), None),
        );
        let lock = Lock::parse(&text).unwrap();
        assert_eq!(
            lock.own_nixpkgs(),
            Some(("nixpkgs".to_string(), "nixpkgs".to_string()))
        );
        let why = |name: &str| {
            let e = lock
                .extra_nixpkgs()
                .into_iter()
                .find(|e| e.path.last().map(String::as_str) == Some(name))
                .unwrap();
            lock.pin_reason(&e, Some("nixpkgs"))
        };
        assert_eq!(why("nixpkgs"), None);
        assert!(why("nixpkgs-2305").unwrap().contains("names release 23.05"));
        assert_eq!(
            why("old").unwrap(),
            "it follows release 23.11, while the flake's nixpkgs follows release 24.11"
        );
        assert!(why("pinned").unwrap().contains("fixed commit 215d4d0"));
        // Another line, but not a pin: a warning, left to --input.
        assert_eq!(why("dev"), None);
        assert!(!lock.same_channel("n5", "nixpkgs"));
        assert_eq!(why("other"), None);
        assert!(lock.same_channel("n6", "nixpkgs"));
        assert_eq!(
            lock.revision("n2").to_string(),
            "cd66f40 (2024-11-30, nixpkgs-23.05-darwin; lock node n2)"
        );
        assert_eq!(
            lock.revision("n4").to_string(),
            "cd66f40 (2024-11-30, 215d4d0; lock node n4)"
        );
    }

    const SHARED: &str = r#"{
  "nodes": {
    "deploy-rs": {
      "inputs": {
        "nixpkgs": "nixpkgs",
        "utils": "utils"
      },
      "locked": { "owner": "serokell", "repo": "deploy-rs", "rev": "aa07", "type": "github" },
      "original": { "owner": "serokell", "repo": "deploy-rs", "type": "github" }
    },
    "flake-utils": {
      "inputs": { "systems": "systems" },
      "locked": { "owner": "numtide", "repo": "flake-utils", "rev": "11a7", "type": "github" },
      "original": { "owner": "numtide", "repo": "flake-utils", "type": "github" }
    },
    "nixpkgs": {
      "locked": { "owner": "NixOS", "repo": "nixpkgs", "rev": "be1f", "type": "github" },
      "original": { "owner": "NixOS", "ref": "nixpkgs-unstable", "repo": "nixpkgs", "type": "github" }
    },
    "nixpkgs_2": {
      "locked": { "owner": "NixOS", "repo": "nixpkgs", "rev": "3f0a", "type": "github" },
      "original": { "owner": "NixOS", "ref": "nixos-unstable", "repo": "nixpkgs", "type": "github" }
    },
    "root": {
      "inputs": { "deploy-rs": "deploy-rs", "flake-utils": "flake-utils", "nixpkgs": "nixpkgs_2" }
    },
    "systems": {
      "locked": { "owner": "nix-systems", "repo": "default", "rev": "da67", "type": "github" },
      "original": { "owner": "nix-systems", "repo": "default", "type": "github" }
    },
    "systems_2": {
      "locked": { "owner": "nix-systems", "repo": "default", "rev": "da67", "type": "github" },
      "original": { "owner": "nix-systems", "repo": "default", "type": "github" }
    },
    "utils": {
      "inputs": { "systems": "systems_2" },
      "locked": { "owner": "NumTide", "repo": "flake-utils", "rev": "11a8", "type": "github" },
      "original": { "owner": "NumTide", "repo": "flake-utils", "type": "github" }
    }
  },
  "root": "root",
  "version": 7
}"#;

    #[test]
    fn duplicates_are_found_below_the_root_and_not_below_each_other() {
        let lock = Lock::parse(SHARED).unwrap();
        assert_eq!(
            lock.duplicates(),
            [Duplicate {
                path: vec!["deploy-rs".into(), "utils".into()],
                node: "utils".into(),
                target: "flake-utils".into(),
            }]
        );
    }

    #[test]
    fn rewritten_locks_drop_unreachable_nodes_and_rename_as_nix_does() {
        let new = rewrite_follows(
            SHARED,
            &[
                (
                    vec!["deploy-rs".into(), "nixpkgs".into()],
                    vec!["nixpkgs".into()],
                ),
                (
                    vec!["deploy-rs".into(), "utils".into()],
                    vec!["flake-utils".into()],
                ),
            ],
        )
        .unwrap();
        let lock = Lock::parse(&new).unwrap();
        let names: Vec<&str> = lock.nodes.keys().map(String::as_str).collect();
        // utils and systems_2 are gone; the flake's nixpkgs is `nixpkgs` again.
        assert_eq!(
            names,
            ["deploy-rs", "flake-utils", "nixpkgs", "root", "systems"]
        );
        assert_eq!(
            lock.nodes["deploy-rs"].inputs["utils"],
            InputRef::Follows(vec!["flake-utils".into()])
        );
        assert_eq!(
            lock.nodes["root"].inputs["nixpkgs"],
            InputRef::Node("nixpkgs".into())
        );
        assert_eq!(
            lock.nodes["nixpkgs"]
                .locked
                .as_ref()
                .unwrap()
                .rev
                .as_deref(),
            Some("3f0a")
        );
        // Nix's layout: sorted keys, two spaces, arrays one item a line, a final newline.
        assert!(new.starts_with("{\n  \"nodes\": {\n    \"deploy-rs\": {\n      \"inputs\": {\n        \"nixpkgs\": [\n          \"nixpkgs\"\n        ],\n"));
        assert!(new.ends_with("\n  },\n  \"root\": \"root\",\n  \"version\": 7\n}\n"));
        // Rewriting again with the same follows changes nothing.
        let again = rewrite_follows(
            &new,
            &[(
                vec!["deploy-rs".into(), "utils".into()],
                vec!["flake-utils".into()],
            )],
        )
        .unwrap();
        assert_eq!(again, new);
        assert!(rewrite_follows(SHARED, &[(vec!["nope".into(), "x".into()], vec![])]).is_err());
    }
}
