//! `flake.lock`: the locked input graph of a flake.
//!
//! A lock file (version 5 to 7) is a graph of nodes keyed by name. The
//! `root` node is the flake itself; each node's `inputs` name either another
//! node (the input has a lock entry of its own) or a *follows* path of input
//! names walked from the root (`"nixpkgs": ["nixpkgs"]` is what
//! `inputs.nixpkgs.follows = "nixpkgs"` locks to). Only what the analyses
//! need is modelled; unknown fields are ignored.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

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
}
