//! A model of a flake: its inputs, its `outputs` function and the output
//! attributes it defines.
//!
//! The model points into the syntax tree; codemods ask it where things are and
//! then edit text ranges.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::error::{Error, Location};
use crate::scope::ScopeIndex;
use crate::syntax::{self, attr_value, attrpath_names, unparen, ParsedFile};
use crate::workspace::Workspace;

pub mod eval;
pub mod home_manager;
pub mod import_site;
pub mod model;
pub mod parts;
pub mod persystem;
pub mod persystem_import;

pub use model::{BuilderCall, Configuration, ModuleItem, Via};

use eval::Program;

/// A parsed `flake.nix` and what it defines.
pub struct Flake {
    /// Path of `flake.nix`, relative to the repository root.
    pub path: PathBuf,
    pub file: ParsedFile,
    pub scope: ScopeIndex,
    pub inputs: Vec<Input>,
    pub outputs: Option<Outputs>,
    /// The other files of the flake's program, loaded as values reach them.
    pub program: Program,
}

/// One flake input.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    /// Where the input is first mentioned.
    pub range: TextRange,
    pub url: Option<String>,
    /// `inputs.<name>.follows` targets: (nested input, followed path).
    pub follows: Vec<(String, String)>,
}

/// The argument of the `outputs` function.
#[derive(Debug, Clone, Default)]
pub struct OutputsParam {
    /// Formals of `{ self, nixpkgs, ... }`.
    pub formals: Vec<String>,
    /// The `@inputs` (or `inputs@`) name.
    pub at: Option<String>,
    /// The plain argument of `inputs: ...`.
    pub ident: Option<String>,
}

/// The `outputs = ...: ...;` binding.
pub struct Outputs {
    /// The `NODE_ATTRPATH_VALUE` of `outputs`.
    pub binding: SyntaxNode,
    pub lambda: SyntaxNode,
    pub param: OutputsParam,
    /// `let ... in` blocks between the argument and the outputs, outermost first.
    pub lets: Vec<SyntaxNode>,
    /// `with X;` between the argument and the outputs, outermost first.
    pub withs: Vec<SyntaxNode>,
    /// The expression after peeling parentheses, `let` and `with`.
    pub body: SyntaxNode,
    /// Attribute sets whose attributes are outputs: the body itself, or the
    /// attribute-set operands of a `//` chain. Empty when the outputs come
    /// from a call (`import ./outputs inputs`, `mkFlake ...`).
    pub sets: Vec<SyntaxNode>,
    /// Every static definition found in `sets`.
    pub defs: Vec<OutputDef>,
    /// The operands of the `//` chain (or the body alone), sets or not.
    pub operands: Vec<SyntaxNode>,
}

/// One definition of an output attribute.
#[derive(Debug, Clone)]
pub struct OutputDef {
    /// The output name (first attribute of the path).
    pub name: String,
    /// The full static attribute path (`packages.x86_64-linux` has two parts).
    pub path: Vec<String>,
    /// `NODE_ATTRPATH_VALUE`, or `NODE_INHERIT` for `inherit (x) name;`.
    pub entry: SyntaxNode,
    /// The value (absent for inherited outputs).
    pub value: Option<SyntaxNode>,
    /// The attribute set it belongs to.
    pub set: SyntaxNode,
    /// Whether that set is `rec`.
    pub rec: bool,
    /// Whether a part of the path after the output name is dynamic
    /// (`nixosConfigurations.${hostname} = ...;`); `path` holds its text.
    pub dynamic: bool,
}

impl Flake {
    /// Read and parse `path` (relative to the workspace root).
    pub fn load(ws: &Workspace, path: &Path) -> Result<Flake, Error> {
        let text = ws.read(path)?.ok_or_else(|| {
            Error::Usage(format!(
                "{}: no such file (is this a flake?)",
                path.display()
            ))
        })?;
        let file = syntax::parse(path, &text)?;
        let scope = ScopeIndex::build(&file.root);
        let mut flake = Flake {
            path: path.to_path_buf(),
            file,
            scope,
            inputs: Vec::new(),
            outputs: None,
            program: Program::new(ws.shared_reader()),
        };
        flake.model()?;
        Ok(flake)
    }

    /// The directory that holds `flake.nix`, relative to the repository root.
    pub fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// `file:line:col` of an offset in `flake.nix`.
    pub fn location(&self, offset: rnix::TextSize) -> Location {
        self.file.lines.location(&self.path, offset)
    }

    /// The set of output names that can be known without evaluation.
    /// With flake-parts' `mkFlake` written in flake.nix: its `flake.<name>`
    /// outputs (through `imports` too) and the six per-system outputs, which
    /// flake-parts always makes. With a `// eachDefaultSystem (...)`
    /// operand: also the outputs its function returns.
    pub fn output_names(&self) -> BTreeSet<String> {
        if self.flake_parts().is_some() {
            return self
                .outputs_model()
                .sources
                .into_iter()
                .map(|s| s.name)
                .chain(persystem::PER_SYSTEM_OUTPUTS.iter().map(|s| s.to_string()))
                .collect();
        }
        self.outputs
            .iter()
            .flat_map(|o| o.defs.iter().map(|d| d.name.clone()))
            .chain(
                self.each_system_operands()
                    .into_iter()
                    .flat_map(|e| e.keys.unwrap_or_default()),
            )
            .collect()
    }

    fn top_set(&self) -> Option<SyntaxNode> {
        let mut node = unparen(self.file.root.first_child()?);
        while node.kind() == SyntaxKind::NODE_LET_IN {
            node = unparen(node.children().last()?);
        }
        (node.kind() == SyntaxKind::NODE_ATTR_SET).then_some(node)
    }

    fn model(&mut self) -> Result<(), Error> {
        let Some(top) = self.top_set() else {
            return Err(Error::Refused {
                codemod: "flake".into(),
                location: Some(self.location(0.into())),
                message: "flake.nix is not an attribute set; unsupported shape".into(),
            });
        };
        let mut input_leaves = Vec::new();
        for (entry, path, value) in syntax::static_entries(&top) {
            match path.first().map(String::as_str) {
                Some("outputs") if path.len() == 1 => {
                    self.outputs = Outputs::from_binding(entry.clone(), value);
                }
                Some("inputs") => leaves(&path[1..], &value, &mut input_leaves),
                _ => {}
            }
        }
        for (path, value) in input_leaves {
            let Some(name) = path.first() else { continue };
            let idx = match self.inputs.iter().position(|i| &i.name == name) {
                Some(i) => i,
                None => {
                    self.inputs.push(Input {
                        name: name.clone(),
                        range: value.text_range(),
                        url: None,
                        follows: Vec::new(),
                    });
                    self.inputs.len() - 1
                }
            };
            let rest: Vec<&str> = path[1..].iter().map(String::as_str).collect();
            let string = string_literal(&value);
            match rest.as_slice() {
                ["url"] => self.inputs[idx].url = string.or_else(|| Some(value.text().to_string())),
                ["inputs", nested, "follows"] => self.inputs[idx]
                    .follows
                    .push((nested.to_string(), string.unwrap_or_default())),
                _ => {}
            }
        }
        Ok(())
    }
}

/// Flatten nested attribute sets into (path, leaf value) pairs.
fn leaves(prefix: &[String], value: &SyntaxNode, out: &mut Vec<(Vec<String>, SyntaxNode)>) {
    let value = unparen(value.clone());
    if value.kind() == SyntaxKind::NODE_ATTR_SET {
        for (_, path, v) in syntax::static_entries(&value) {
            let mut full = prefix.to_vec();
            full.extend(path);
            leaves(&full, &v, out);
        }
    } else {
        out.push((prefix.to_vec(), value));
    }
}

/// The value of a string literal without interpolations.
pub fn string_literal(node: &SyntaxNode) -> Option<String> {
    let node = unparen(node.clone());
    if node.kind() != SyntaxKind::NODE_STRING {
        return None;
    }
    syntax::static_attr_name(&node)
}

impl Outputs {
    fn from_binding(binding: SyntaxNode, value: SyntaxNode) -> Option<Outputs> {
        let lambda = unparen(value);
        if lambda.kind() != SyntaxKind::NODE_LAMBDA {
            return None;
        }
        let mut param = OutputsParam::default();
        for child in lambda.children() {
            match child.kind() {
                SyntaxKind::NODE_IDENT_PARAM => {
                    param.ident = child.first_child().map(|i| i.text().to_string());
                }
                SyntaxKind::NODE_PATTERN => {
                    for part in child.children() {
                        let name = part.first_child().map(|i| i.text().to_string());
                        match part.kind() {
                            SyntaxKind::NODE_PAT_ENTRY => param.formals.extend(name),
                            SyntaxKind::NODE_PAT_BIND => param.at = name,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let mut body = unparen(lambda.children().last()?);
        let mut lets = Vec::new();
        let mut withs = Vec::new();
        loop {
            match body.kind() {
                SyntaxKind::NODE_LET_IN => {
                    lets.push(body.clone());
                    body = unparen(body.children().last()?);
                }
                SyntaxKind::NODE_WITH => {
                    withs.push(body.clone());
                    body = unparen(body.children().last()?);
                }
                _ => break,
            }
        }
        let mut operands = Vec::new();
        collect_operands(&body, &mut operands);
        let sets: Vec<SyntaxNode> = operands
            .iter()
            .filter(|o| o.kind() == SyntaxKind::NODE_ATTR_SET)
            .cloned()
            .collect();
        let mut defs = Vec::new();
        for set in &sets {
            let rec = set
                .children_with_tokens()
                .any(|t| t.kind() == SyntaxKind::TOKEN_REC);
            for entry in set.children() {
                match entry.kind() {
                    SyntaxKind::NODE_ATTRPATH_VALUE => {
                        // `name.${key} = ...;`: a dynamic part below a static
                        // output name is recorded (its text in the path), never dropped.
                        let (path, dynamic) = match attrpath_names(&entry) {
                            Some(path) => (path, false),
                            None => {
                                let Some(attrs) = entry
                                    .children()
                                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                                else {
                                    continue;
                                };
                                let mut attrs = attrs.children();
                                let Some(first) =
                                    attrs.next().and_then(|a| syntax::static_attr_name(&a))
                                else {
                                    continue;
                                };
                                let mut path = vec![first];
                                path.extend(attrs.map(|a| {
                                    syntax::static_attr_name(&a)
                                        .unwrap_or_else(|| a.text().to_string())
                                }));
                                (path, true)
                            }
                        };
                        defs.push(OutputDef {
                            name: path[0].clone(),
                            path,
                            value: attr_value(&entry),
                            entry: entry.clone(),
                            set: set.clone(),
                            rec,
                            dynamic,
                        });
                    }
                    SyntaxKind::NODE_INHERIT => {
                        for attr in entry
                            .children()
                            .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                        {
                            if let Some(name) = syntax::static_attr_name(&attr) {
                                defs.push(OutputDef {
                                    name: name.clone(),
                                    path: vec![name],
                                    value: None,
                                    entry: entry.clone(),
                                    set: set.clone(),
                                    rec,
                                    dynamic: false,
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Outputs {
            binding,
            lambda,
            param,
            lets,
            withs,
            body,
            sets,
            defs,
            operands,
        })
    }

    /// The definitions of output `name`.
    pub fn defs_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a OutputDef> + 'a {
        self.defs.iter().filter(move |d| d.name == name)
    }
}

/// The operands of a `//` chain, parentheses removed.
fn collect_operands(node: &SyntaxNode, out: &mut Vec<SyntaxNode>) {
    let node = unparen(node.clone());
    let is_update = node.kind() == SyntaxKind::NODE_BIN_OP
        && node
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_UPDATE);
    if is_update {
        for operand in node.children() {
            collect_operands(&operand, out);
        }
    } else {
        out.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str) -> Flake {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flake.nix"), src).unwrap();
        let ws = Workspace::new(dir.path());
        Flake::load(&ws, Path::new("flake.nix")).unwrap()
    }

    #[test]
    fn models_inputs_and_outputs() {
        let f = load(
            r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs";
  inputs = {
    hm = { url = "github:nix-community/home-manager"; inputs.nixpkgs.follows = "nixpkgs"; };
  };
  outputs = { self, nixpkgs, ... }@inputs: let x = 1; in with nixpkgs; {
    nixosConfigurations.a = x;
    packages = {};
  } // other // rec { checks = {}; inherit (x) devShells; };
}"#,
        );
        assert_eq!(f.inputs.len(), 2);
        assert_eq!(
            f.inputs[1].follows,
            vec![("nixpkgs".to_string(), "nixpkgs".to_string())]
        );
        let o = f.outputs.as_ref().unwrap();
        assert_eq!(o.param.formals, ["self", "nixpkgs"]);
        assert_eq!(o.param.at.as_deref(), Some("inputs"));
        assert_eq!((o.lets.len(), o.withs.len(), o.sets.len()), (1, 1, 2));
        let names: Vec<_> = f.output_names().into_iter().collect();
        assert_eq!(
            names,
            ["checks", "devShells", "nixosConfigurations", "packages"]
        );
        assert!(o.defs.iter().find(|d| d.name == "checks").unwrap().rec);
    }

    #[test]
    fn delegated_outputs_have_no_sets() {
        let f = load("{ outputs = inputs: import ./outputs inputs; }");
        let o = f.outputs.as_ref().unwrap();
        assert_eq!(o.param.ident.as_deref(), Some("inputs"));
        assert!(o.sets.is_empty());
    }
}

/// The functions that build a configuration, by the output they belong to.
pub const BUILDERS: &[(&str, &str)] = &[
    ("nixosConfigurations", "nixosSystem"),
    ("homeConfigurations", "homeManagerConfiguration"),
    ("darwinConfigurations", "darwinSystem"),
];

#[cfg(test)]
mod configuration_tests {
    use super::*;

    fn load(src: &str) -> Flake {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flake.nix"), src).unwrap();
        Flake::load(&Workspace::new(dir.path()), Path::new("flake.nix")).unwrap()
    }

    #[test]
    fn finds_hosts_direct_and_through_helpers_matched_by_binding() {
        let f = load(
            r#"{
  outputs = { self, nixpkgs, home-manager, ... }:
    let
      mkSystem = { hostname }: nixpkgs.lib.nixosSystem { modules = [ ]; };
      # a local helper that is itself named nixosSystem
      nixosSystem = name: mkSystem { hostname = name; };
      mkHome = user: home-manager.lib.homeManagerConfiguration { modules = [ ]; };
    in
    {
      nixosConfigurations = {
        a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; };
        b = mkSystem { hostname = "b"; };
        c = nixosSystem "c";
        d = builtins.throw "no";
      };
      nixosConfigurations.e = (with nixpkgs.lib; nixosSystem { });
      homeConfigurations.alice = mkHome "alice";
    };
}"#,
        );
        let confs = f.configurations();
        let via: Vec<_> = confs
            .iter()
            .map(|c| {
                (
                    c.name.clone().unwrap_or_default(),
                    c.call.as_ref().map(|k| k.via.clone()),
                )
            })
            .collect();
        let names: Vec<_> = via.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e", "alice"]);
        assert_eq!(
            via[0].1,
            Some(Via::Direct("nixpkgs.lib.nixosSystem".into()))
        );
        assert!(matches!(&via[1].1, Some(Via::Helper { name, .. }) if name == "mkSystem"));
        assert!(matches!(&via[2].1, Some(Via::Helper { name, .. }) if name == "nixosSystem"));
        assert_eq!(via[3].1, None);
        // A lexical binding wins over `with`: `e` calls the local helper.
        assert!(matches!(&via[4].1, Some(Via::Helper { name, .. }) if name == "nixosSystem"));
        assert!(matches!(&via[5].1, Some(Via::Helper { name, .. }) if name == "mkHome"));
        let helpers: Vec<String> = f
            .builder_helpers()
            .iter()
            .map(|h| format!("{} {}", h.name, h.builder))
            .collect();
        assert_eq!(
            helpers,
            [
                "mkSystem nixosSystem",
                "nixosSystem nixosSystem",
                "mkHome homeManagerConfiguration"
            ]
        );
    }

    #[test]
    fn module_items_follow_helpers_concatenation_and_let_bound_lists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("flake.nix"),
            r#"{
  outputs = { self, nixpkgs, ... }:
    let
      common = [ ./modules/base.nix ] ++ extra;
      extra = [ ./modules/extra.nix ];
      mkSystem = { name, modules }: nixpkgs.lib.nixosSystem {
        modules = common ++ [ ./hosts/${name}.nix ] ++ modules;
      };
      mkLaptop = name: mkSystem { inherit name; modules = [ ./laptop.nix ]; };
    in
    {
      nixosConfigurations = {
        a = mkLaptop "a";
        b = nixpkgs.lib.nixosSystem { modules = [ ./b.nix ({ ... }: { }) ]; };
      };
    };
}"#,
        )
        .unwrap();
        let f = Flake::load(&Workspace::new(dir.path()), Path::new("flake.nix")).unwrap();
        let confs = f.configurations();
        let names = |c: &Configuration| -> Vec<String> {
            f.module_items(c.call.as_ref().unwrap())
                .iter()
                .map(|m| match &m.module {
                    crate::modules::Module::File(p) => p.display().to_string(),
                    crate::modules::Module::Inline { node, .. } => node.text().to_string(),
                    crate::modules::Module::Opaque { text, .. } => format!("opaque {text}"),
                })
                .collect()
        };
        assert_eq!(
            names(&confs[0]),
            [
                "modules/base.nix",
                "modules/extra.nix",
                "hosts/a.nix",
                "laptop.nix"
            ]
        );
        assert_eq!(names(&confs[1]), ["b.nix", "{ ... }: { }"]);
    }
}
