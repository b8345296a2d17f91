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

/// A parsed `flake.nix` and what it defines.
pub struct Flake {
    /// Path of `flake.nix`, relative to the repository root.
    pub path: PathBuf,
    pub file: ParsedFile,
    pub scope: ScopeIndex,
    pub inputs: Vec<Input>,
    pub outputs: Option<Outputs>,
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
    pub fn output_names(&self) -> BTreeSet<String> {
        self.outputs
            .iter()
            .flat_map(|o| o.defs.iter().map(|d| d.name.clone()))
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
                        let Some(path) = attrpath_names(&entry) else {
                            continue;
                        };
                        defs.push(OutputDef {
                            name: path[0].clone(),
                            path,
                            value: attr_value(&entry),
                            entry: entry.clone(),
                            set: set.clone(),
                            rec,
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

/// How a configuration's builder is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A builder from an input or a library, e.g. `nixpkgs.lib.nixosSystem`
    /// (the text of the function expression).
    Direct(String),
    /// A local helper (a `let` binding or `rec` attribute of flake.nix) whose
    /// body calls a builder; the index of its binder in the scope index.
    Helper { binder: usize, name: String },
}

/// A call that builds a configuration: `builder { ... }` or `helper { ... }`.
#[derive(Debug, Clone)]
pub struct BuilderCall {
    /// The whole application.
    pub call: SyntaxNode,
    /// The function expression.
    pub function: SyntaxNode,
    /// The last argument (usually an attribute set).
    pub arg: SyntaxNode,
    pub via: Via,
}

/// One entry of `nixosConfigurations`, `homeConfigurations` or `darwinConfigurations`.
#[derive(Debug, Clone)]
pub struct Configuration {
    /// The output it belongs to.
    pub output: String,
    /// Its static name (`None` for generated ones such as `${host} = ...`).
    pub name: Option<String>,
    /// The `NODE_ATTRPATH_VALUE` that defines it.
    pub entry: SyntaxNode,
    pub value: SyntaxNode,
    /// The builder call, when the value is one.
    pub call: Option<BuilderCall>,
}

impl Flake {
    /// The local helpers that wrap a builder: (binder, builder name).
    /// A helper is matched on what its body calls, not on its own name.
    pub fn builder_helpers(&self) -> Vec<(usize, &'static str)> {
        // Function bodies of local bindings.
        let mut bodies = Vec::new();
        for (i, b) in self.scope.binders.iter().enumerate() {
            if !matches!(
                b.kind,
                crate::scope::BinderKind::Let | crate::scope::BinderKind::Rec
            ) {
                continue;
            }
            let Some(value) = b.entries.first().and_then(attr_value) else {
                continue;
            };
            let mut body = unparen(value);
            let mut is_function = false;
            while body.kind() == SyntaxKind::NODE_LAMBDA {
                is_function = true;
                match body.children().last() {
                    Some(next) => body = unparen(next),
                    None => break,
                }
            }
            if is_function {
                bodies.push((i, body));
            }
        }
        // A helper calls a builder, or another helper (to a fixpoint).
        let mut out: Vec<(usize, &'static str)> = Vec::new();
        loop {
            let before = out.len();
            for (i, body) in &bodies {
                for (_, builder) in BUILDERS {
                    if out.contains(&(*i, *builder)) {
                        continue;
                    }
                    let calls = body
                        .descendants()
                        .filter(|n| n.kind() == SyntaxKind::NODE_APPLY)
                        .any(|app| self.builder_call_with(&app, builder, &out).is_some());
                    if calls {
                        out.push((*i, *builder));
                    }
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// `Some(text)` when `function` names the builder itself: a select ending
    /// in `.builder`, or the bare name not bound lexically (it comes from a `with`).
    fn direct_builder(&self, function: &SyntaxNode, builder: &str) -> Option<String> {
        let function = unparen(function.clone());
        match function.kind() {
            SyntaxKind::NODE_SELECT => {
                let path = function
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
                let last = path.children().last()?;
                (syntax::static_attr_name(&last)? == builder).then(|| function.text().to_string())
            }
            SyntaxKind::NODE_IDENT => {
                let r = self
                    .scope
                    .refs
                    .iter()
                    .find(|r| r.range == function.text_range())?;
                (r.binder.is_none() && r.name == builder).then(|| function.text().to_string())
            }
            _ => None,
        }
    }

    /// Classify an application as a builder call (`with X;` in front is looked through).
    pub fn builder_call(
        &self,
        value: &SyntaxNode,
        builder: &str,
        helpers: &[(usize, &'static str)],
    ) -> Option<BuilderCall> {
        self.builder_call_with(value, builder, helpers)
    }

    fn builder_call_with(
        &self,
        value: &SyntaxNode,
        builder: &str,
        helpers: &[(usize, &'static str)],
    ) -> Option<BuilderCall> {
        let mut call = unparen(value.clone());
        while call.kind() == SyntaxKind::NODE_WITH {
            call = unparen(call.children().last()?);
        }
        if call.kind() != SyntaxKind::NODE_APPLY {
            return None;
        }
        let mut function = unparen(call.first_child()?);
        let arg = unparen(call.children().nth(1)?);
        // `helper "name" { ... }`: walk to the innermost function.
        while function.kind() == SyntaxKind::NODE_APPLY {
            function = unparen(function.first_child()?);
        }
        if let Some(text) = self.direct_builder(&function, builder) {
            return Some(BuilderCall {
                call,
                function,
                arg,
                via: Via::Direct(text),
            });
        }
        if function.kind() == SyntaxKind::NODE_IDENT {
            let r = self
                .scope
                .refs
                .iter()
                .find(|r| r.range == function.text_range())?;
            let b = r.binder?;
            if helpers.iter().any(|(h, name)| *h == b && *name == builder) {
                let name = self.scope.binders[b].name.clone();
                return Some(BuilderCall {
                    call,
                    function,
                    arg,
                    via: Via::Helper { binder: b, name },
                });
            }
        }
        None
    }

    /// Every entry of the configuration outputs that can be found statically.
    pub fn configurations(&self) -> Vec<Configuration> {
        let Some(outputs) = &self.outputs else {
            return Vec::new();
        };
        let helpers = self.builder_helpers();
        let mut out = Vec::new();
        for (output, builder) in BUILDERS {
            for def in outputs.defs_of(output) {
                let Some(value) = &def.value else { continue };
                let mut push = |name: Option<String>, entry: &SyntaxNode, v: SyntaxNode| {
                    let call = self.builder_call(&v, builder, &helpers);
                    out.push(Configuration {
                        output: output.to_string(),
                        name,
                        entry: entry.clone(),
                        value: v,
                        call,
                    });
                };
                if def.path.len() == 2 {
                    push(Some(def.path[1].clone()), &def.entry, value.clone());
                    continue;
                }
                let set = unparen(value.clone());
                if set.kind() != SyntaxKind::NODE_ATTR_SET {
                    continue;
                }
                for entry in set
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                {
                    let Some(v) = attr_value(&entry) else {
                        continue;
                    };
                    let name = attrpath_names(&entry)
                        .filter(|p| p.len() == 1)
                        .map(|mut p| p.remove(0));
                    push(name, &entry, v);
                }
            }
        }
        out
    }
}

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
        assert!(matches!(&via[5].1, Some(Via::Helper { name, .. }) if name == "mkHome"));
    }
}

impl Flake {
    /// Items of a list expression written in flake.nix, looking through
    /// parentheses, `++` and names bound by a `let` or `rec` set of
    /// flake.nix (`commonModules ++ [ ./x.nix ]`). Anything else (a
    /// function argument, a call) contributes nothing.
    pub fn list_items_resolved(&self, expr: &SyntaxNode) -> Vec<SyntaxNode> {
        let mut seen = BTreeSet::new();
        self.resolved_items(expr, &mut seen)
    }

    fn resolved_items(&self, expr: &SyntaxNode, seen: &mut BTreeSet<usize>) -> Vec<SyntaxNode> {
        let expr = unparen(expr.clone());
        match expr.kind() {
            SyntaxKind::NODE_IDENT => {
                let Some(b) = self
                    .scope
                    .refs
                    .iter()
                    .find(|r| r.range == expr.text_range())
                    .and_then(|r| r.binder)
                else {
                    return Vec::new();
                };
                let binder = &self.scope.binders[b];
                if !matches!(
                    binder.kind,
                    crate::scope::BinderKind::Let | crate::scope::BinderKind::Rec
                ) || !seen.insert(b)
                {
                    return Vec::new();
                }
                match binder.entries.first().and_then(attr_value) {
                    Some(value) => self.resolved_items(&value, seen),
                    None => Vec::new(),
                }
            }
            SyntaxKind::NODE_BIN_OP
                if expr
                    .children_with_tokens()
                    .any(|t| t.kind() == SyntaxKind::TOKEN_CONCAT) =>
            {
                expr.children()
                    .flat_map(|c| self.resolved_items(&c, seen))
                    .collect()
            }
            SyntaxKind::NODE_LIST => expr.children().map(unparen).collect(),
            _ => Vec::new(),
        }
    }

    /// The builder calls in the body of the helper bound by `binder` (calls
    /// of the builder itself, or of other helpers), outermost calls only.
    pub fn helper_calls(
        &self,
        binder: usize,
        helpers: &[(usize, &'static str)],
    ) -> Vec<BuilderCall> {
        let Some(value) = self
            .scope
            .binders
            .get(binder)
            .and_then(|b| b.entries.first())
            .and_then(attr_value)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (h, builder) in helpers {
            if *h != binder {
                continue;
            }
            for app in value
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::NODE_APPLY)
            {
                // `f a b` is `(f a) b`: only the outer application counts.
                let is_function_of_parent = app.parent().is_some_and(|p| {
                    p.kind() == SyntaxKind::NODE_APPLY && p.first_child().as_ref() == Some(&app)
                });
                if is_function_of_parent {
                    continue;
                }
                if let Some(call) = self.builder_call(&app, builder, helpers) {
                    if !out
                        .iter()
                        .any(|c: &BuilderCall| c.call.text_range() == call.call.text_range())
                    {
                        out.push(call);
                    }
                }
            }
        }
        out
    }

    /// The module-list items a builder call passes: the `modules = [ ... ]`
    /// of its argument (see [`Flake::list_items_resolved`]) and, for a call
    /// through a helper, the modules of the builder calls in the helper's
    /// body, transitively. Each item is an expression to classify with
    /// [`crate::modules::module_of`].
    pub fn module_items(
        &self,
        call: &BuilderCall,
        helpers: &[(usize, &'static str)],
    ) -> Vec<SyntaxNode> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        self.collect_module_items(call, helpers, &mut seen, &mut out);
        out
    }

    fn collect_module_items(
        &self,
        call: &BuilderCall,
        helpers: &[(usize, &'static str)],
        seen: &mut BTreeSet<usize>,
        out: &mut Vec<SyntaxNode>,
    ) {
        // The helper's own modules first: helpers usually append theirs last (`++ modules`).
        if let Via::Helper { binder, .. } = &call.via {
            if seen.insert(*binder) {
                for inner in self.helper_calls(*binder, helpers) {
                    self.collect_module_items(&inner, helpers, seen, out);
                }
            }
        }
        let arg = unparen(call.arg.clone());
        if arg.kind() == SyntaxKind::NODE_ATTR_SET {
            for value in syntax::entry_values(&arg, "modules") {
                out.extend(self.list_items_resolved(&value));
            }
        }
    }
}

#[cfg(test)]
mod module_items_tests {
    use super::*;

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
        let helpers = f.builder_helpers();
        let confs = f.configurations();
        let texts = |c: &Configuration| -> Vec<String> {
            f.module_items(c.call.as_ref().unwrap(), &helpers)
                .iter()
                .map(|n| n.text().to_string())
                .collect()
        };
        assert_eq!(
            texts(&confs[0]),
            [
                "./modules/base.nix",
                "./modules/extra.nix",
                "./hosts/${name}.nix",
                "./laptop.nix"
            ]
        );
        assert_eq!(texts(&confs[1]), ["./b.nix", "{ ... }: { }"]);
    }
}
