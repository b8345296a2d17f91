//! Per-system outputs written in flake.nix: which outputs are made for
//! each system, on which systems, and how one system's value is written, so
//! that a codemod can move them into flake-parts' `perSystem`.
//!
//! Recognised forms (each output of the outputs' attribute set):
//! - `genAttrs LIST (system: BODY)`, directly or through a local alias
//!   (`forAllSystems = nixpkgs.lib.genAttrs systems;`), and point-free
//!   calls (`forAllSystems mkDevShells`);
//! - the pkgs-first alias `f: genAttrs LIST (s: f EXPR)` called with a
//!   function (`forAllSystems (pkgs: BODY)`): one system's value is that
//!   function applied to `EXPR` with `s` the system;
//! - attribute sets keyed by literal systems (`packages = { x86_64-linux =
//!   E; ... };` or `packages.x86_64-linux = E;`) whose values differ only in
//!   the system's string literal;
//! - `out.${system}` under `let system = "...";` (one system);
//! - `SET // flake-utils.lib.eachDefaultSystem (system: BODY)` (and
//!   `eachSystem LIST`), see [`Flake::each_system_operands`].
//!
//! Whatever is not recognised with certainty is reported with the reason,
//! never guessed: the codemod keeps it exactly as it is.

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::eval::Whnf;
use super::Flake;
use crate::syntax::edit::{Edit, EditSet};
use crate::syntax::indent::{shift_edits, Shift};
use crate::syntax::{self, unparen};

/// The outputs flake-parts makes per system (transposed, plus `formatter`).
pub const PER_SYSTEM_OUTPUTS: [&str; 6] = [
    "packages",
    "apps",
    "checks",
    "devShells",
    "formatter",
    "legacyPackages",
];

/// flake-utils' `defaultSystems`, in its order.
pub const FLAKE_UTILS_DEFAULT_SYSTEMS: [&str; 4] = [
    "x86_64-linux",
    "aarch64-linux",
    "x86_64-darwin",
    "aarch64-darwin",
];

/// How one system's value of a per-system output is written.
#[derive(Debug, Clone)]
pub enum SystemValue {
    /// The body of `param: BODY` (the generator's function), with the
    /// parameter named at `param` meaning the system.
    Body { body: SyntaxNode, param: TextRange },
    /// A function applied to the system: `forAllSystems mkDevShells`.
    Apply { function: SyntaxNode },
    /// The pkgs-first alias: `user` (the function written at the call)
    /// applied to `pkgs` (the alias' expression, with `param`, the alias'
    /// system parameter, meaning the system).
    PkgsFirst {
        user: SyntaxNode,
        pkgs: SyntaxNode,
        param: TextRange,
    },
    /// The value written for one literal system; its string literals equal
    /// to `system` mean the system.
    Literal { value: SyntaxNode, system: String },
    /// Written under `${system}` with a `let system = "..."` (one system):
    /// the value as it is.
    Verbatim { value: SyntaxNode },
}

/// One per-system output of the outputs' attribute set.
#[derive(Debug, Clone)]
pub struct PerSystemOutput {
    pub name: String,
    /// The `NODE_ATTRPATH_VALUE`s of the outputs set that define it.
    pub entries: Vec<SyntaxNode>,
    /// The systems it is defined on, in order, or why they are not known.
    pub systems: Result<Vec<String>, String>,
    /// How one system's value is written, or why it is not recognised.
    pub value: Result<SystemValue, String>,
    /// When the systems are not known statically: the expression of
    /// flake.nix that gives them (`import systems`, the `systems` input).
    pub systems_expr: Option<SyntaxNode>,
    /// The list expression of a `genAttrs LIST f` form, as written in
    /// flake.nix (`systems`, `[ "x86_64-linux" ]`, `import systems`).
    pub systems_node: Option<SyntaxNode>,
    /// What perSystem gets when it moves: attribute paths below the output
    /// (as written; empty for the whole output) and their values.
    pub parts: Vec<(Vec<String>, SystemValue)>,
}

/// A `// flake-utils.lib.eachDefaultSystem (system: BODY)` operand.
#[derive(Debug, Clone)]
pub struct EachSystem {
    /// The call (an operand of the outputs' `//` chain).
    pub call: SyntaxNode,
    /// The systems, or why they are not known.
    pub systems: Result<Vec<String>, String>,
    /// The function's body and its parameter (when not named `system`).
    pub body: SyntaxNode,
    pub param: TextRange,
    /// The output names the body defines, or why they are not known.
    pub keys: Result<Vec<String>, String>,
}

/// A shared nixpkgs instantiation: a binding of the outputs' `let` that
/// gives one system's `import nixpkgs { ... }`.
#[derive(Debug, Clone)]
pub struct SharedPkgs {
    /// The binding's name.
    pub name: String,
    /// `true`: a function of the system (`pkgsFor system`); `false`: a set
    /// keyed by system (`pkgsFor.${system}`).
    pub function: bool,
}

impl Flake {
    /// The per-system outputs (see [`PER_SYSTEM_OUTPUTS`]) defined in the
    /// outputs' attribute sets of flake.nix, in source order.
    pub fn per_system_outputs(&self) -> Vec<PerSystemOutput> {
        let Some(outputs) = &self.outputs else {
            return Vec::new();
        };
        let mut out: Vec<PerSystemOutput> = Vec::new();
        for name in PER_SYSTEM_OUTPUTS {
            let defs: Vec<_> = outputs.defs_of(name).collect();
            if defs.is_empty() {
                continue;
            }
            let entries: Vec<SyntaxNode> = defs.iter().map(|d| d.entry.clone()).collect();
            let mut o = PerSystemOutput {
                name: name.to_string(),
                entries,
                systems: Err("not recognised".into()),
                value: Err("not recognised".into()),
                systems_expr: None,
                systems_node: None,
                parts: Vec::new(),
            };
            if defs
                .iter()
                .any(|d| d.entry.kind() != SyntaxKind::NODE_ATTRPATH_VALUE)
            {
                o.value = Err("inherited".into());
                out.push(o);
                continue;
            }
            if defs.len() == 1 && defs[0].path.len() == 1 {
                let Some(value) = defs[0].value.clone() else {
                    out.push(o);
                    continue;
                };
                let (systems, v) = self.per_system_generated(&value);
                o.systems_node = self.systems_expression(&value);
                if systems.is_err() {
                    o.systems_expr = o.systems_node.clone();
                }
                o.systems = systems;
                o.value = v;
            } else if defs.iter().all(|d| d.path.len() == 2) {
                // `packages.x86_64-linux = E;` or `packages.${system} = E;`.
                let mut pairs = Vec::new();
                for d in &defs {
                    let Some(key) = self.system_key(&d.entry) else {
                        o.value = Err("a system key not known statically".into());
                        break;
                    };
                    let Some(v) = d.value.clone() else { break };
                    pairs.push((key, v, d.dynamic));
                }
                if pairs.len() == defs.len() {
                    let (s, v) = literal_systems(&pairs);
                    o.systems = s;
                    o.value = v;
                }
            } else if defs.iter().all(|d| d.path.len() >= 2) {
                // `packages.${system}.default = E;` (one system): each entry
                // keeps the path below the system.
                let mut keys = Vec::new();
                let mut parts = Vec::new();
                for d in &defs {
                    let (Some(key), Some(v)) = (self.system_key(&d.entry), d.value.clone()) else {
                        break;
                    };
                    let rest: Vec<String> = d
                        .entry
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                        .map(|p| p.children().skip(2).map(|a| a.text().to_string()).collect())
                        .unwrap_or_default();
                    let value = if key.1 {
                        SystemValue::Verbatim { value: v }
                    } else {
                        SystemValue::Literal {
                            value: v,
                            system: key.0.clone(),
                        }
                    };
                    keys.push(key.0);
                    parts.push((rest, value));
                }
                let mut systems: Vec<String> = Vec::new();
                for k in &keys {
                    if !systems.contains(k) {
                        systems.push(k.clone());
                    }
                }
                if parts.len() != defs.len() || !systems.iter().all(|s| is_system(s)) {
                    o.value = Err("a system key not known statically".into());
                } else if systems.len() == 1 {
                    o.systems = Ok(systems);
                    o.value = Ok(parts[0].1.clone());
                    o.parts = parts;
                } else {
                    // `packages.x86_64-linux.a = E1; packages.aarch64-linux.a = E2;`:
                    // the same paths on every system, values equal up to the system.
                    let of = |sys: &String| -> Vec<&(Vec<String>, SystemValue)> {
                        keys.iter()
                            .zip(&parts)
                            .filter(|(k, _)| *k == sys)
                            .map(|(_, p)| p)
                            .collect()
                    };
                    let first = of(&systems[0]);
                    let same = systems[1..].iter().all(|sys| {
                        let other = of(sys);
                        other.len() == first.len()
                            && other.iter().zip(&first).all(|((r2, v2), (r1, v1))| {
                                r1 == r2
                                    && match (v1, v2) {
                                        (
                                            SystemValue::Literal {
                                                value: a,
                                                system: sa,
                                            },
                                            SystemValue::Literal {
                                                value: b,
                                                system: sb,
                                            },
                                        ) => {
                                            system_template(a, sa) == system_template(b, sb)
                                                && !b
                                                    .descendants_with_tokens()
                                                    .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
                                        }
                                        _ => false,
                                    }
                            })
                    });
                    o.systems = Ok(systems.clone());
                    if same {
                        o.value = Ok(first[0].1.clone());
                        o.parts = first.into_iter().cloned().collect();
                    } else {
                        o.value = Err("different content per system".into());
                    }
                }
            } else {
                o.value = Err("defined by parts below the systems".into());
            }
            if o.parts.is_empty() {
                if let Ok(v) = &o.value {
                    o.parts = vec![(Vec::new(), v.clone())];
                }
            }
            out.push(o);
        }
        out.sort_by_key(|o| o.entries[0].text_range().start());
        out
    }

    /// The static system name of the second attribute of `out.SYS = ...`.
    fn system_key(&self, entry: &SyntaxNode) -> Option<(String, bool)> {
        let attrs = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
        let attr = attrs.children().nth(1)?;
        if let Some(name) = syntax::static_attr_name(&attr) {
            return Some((name, false));
        }
        // `${system}`: an interpolation the look-through resolves.
        let inner = attr.children().next()?;
        match self.resolve(&self.val(inner)) {
            Whnf::Str(s) => Some((s, true)),
            _ => None,
        }
    }

    /// `genAttrs LIST f` (directly, through an alias, or pkgs-first), or a
    /// set keyed by literal systems.
    fn per_system_generated(
        &self,
        value: &SyntaxNode,
    ) -> (Result<Vec<String>, String>, Result<SystemValue, String>) {
        let w = self.resolve(&self.val(value.clone()));
        match w {
            Whnf::Call { function, args, .. }
                if function.is_function("genAttrs") && args.len() == 2 =>
            {
                let systems = self.system_strings(&self.resolve(&args[0]));
                let f = &args[1];
                let inside = f.file == 0 && value.text_range().contains_range(f.node.text_range());
                let fnode = unparen(f.node.clone());
                let v = if inside {
                    if fnode.kind() == SyntaxKind::NODE_LAMBDA {
                        lambda_body(&fnode).ok_or_else(|| "a function with a pattern".to_string())
                    } else {
                        Ok(SystemValue::Apply { function: fnode })
                    }
                } else {
                    self.pkgs_first(value, &fnode, f.file)
                };
                (systems, v)
            }
            Whnf::Attrs(parts) => {
                let entries = match self.entries(&Whnf::Attrs(parts)) {
                    Ok(e) => e,
                    Err(u) => return (Err(u.why.clone()), Err(u.why)),
                };
                let mut pairs = Vec::new();
                let mut elsewhere = false;
                for e in entries {
                    let (Some(key), super::eval::Lookup::Val(v)) = (e.key.name(), &e.value) else {
                        return (
                            Err("a system not known statically".into()),
                            Err("not an attribute set keyed by systems".into()),
                        );
                    };
                    if v.file != 0 || !value.text_range().contains_range(v.node.text_range()) {
                        elsewhere = true;
                    }
                    pairs.push(((key.to_string(), false), v.node.clone(), false));
                }
                if elsewhere {
                    // Keyed by systems (say, in an imported file): the
                    // systems are known, the values are not written here.
                    let keys: Vec<String> = pairs.iter().map(|((k, _), _, _)| k.clone()).collect();
                    let systems = if !keys.is_empty() && keys.iter().all(|k| is_system(k)) {
                        Ok(keys)
                    } else {
                        Err("not written here".into())
                    };
                    return (systems, Err("a value not written in this output".into()));
                }
                literal_systems(&pairs)
            }
            Whnf::Unknown(u) => (Err(u.why.clone()), Err(u.why)),
            _ => (
                Err("not a per-system generator".into()),
                Err("not a per-system generator".into()),
            ),
        }
    }

    /// The list expression of a `genAttrs LIST f` output, as written in
    /// flake.nix (not known statically, e.g. `import systems`).
    fn systems_expression(&self, value: &SyntaxNode) -> Option<SyntaxNode> {
        match self.resolve(&self.val(value.clone())) {
            Whnf::Call { function, args, .. }
                if function.is_function("genAttrs") && args.len() == 2 && args[0].file == 0 =>
            {
                Some(unparen(args[0].node.clone()))
            }
            _ => None,
        }
    }

    /// `forAllSystems (pkgs: BODY)` with `forAllSystems = f: genAttrs LIST
    /// (s: f EXPR);`: the function written at the call, applied to EXPR.
    fn pkgs_first(
        &self,
        value: &SyntaxNode,
        wrapper: &SyntaxNode,
        file: usize,
    ) -> Result<SystemValue, String> {
        let refuse = || Err("a generator whose per-system function is not written here".into());
        if file != 0 || wrapper.kind() != SyntaxKind::NODE_LAMBDA {
            return refuse();
        }
        let call = unparen(value.clone());
        if call.kind() != SyntaxKind::NODE_APPLY {
            return refuse();
        }
        let (Some(alias), Some(user)) = (call.children().next(), call.children().nth(1)) else {
            return refuse();
        };
        if unparen(alias).kind() != SyntaxKind::NODE_IDENT {
            return refuse();
        }
        let param = ident_param(wrapper).ok_or("a pattern parameter")?;
        let body = unparen(wrapper.children().last().ok_or("incomplete")?);
        if body.kind() != SyntaxKind::NODE_APPLY {
            return refuse();
        }
        let (Some(f), Some(pkgs)) = (body.children().next(), body.children().nth(1)) else {
            return refuse();
        };
        // `f` is the alias' own parameter (the function passed at the call).
        let f = unparen(f);
        let Some(r) = self.scope.reference_at(f.text_range()) else {
            return refuse();
        };
        let Some(b) = r.binder else { return refuse() };
        let binder = &self.scope.binders[b];
        if binder.kind != crate::scope::BinderKind::Param
            || binder.scope.text_range().start() >= wrapper.text_range().start()
        {
            return refuse();
        }
        // EXPR may use only the system and names bound where the outputs are.
        let body_start = self.outputs.as_ref().map(|o| o.body.text_range());
        for r in self.scope.free_in(pkgs.text_range()) {
            match r.binder {
                Some(b) if self.scope.binders[b].name_range == param => {}
                Some(b) => {
                    let scope = self.scope.binders[b].scope.text_range();
                    if !body_start.is_some_and(|body| scope.contains_range(body)) {
                        return Err(format!("`{}` is not bound where the outputs are", r.name));
                    }
                }
                None => {}
            }
        }
        // `f { pkgs = EXPR; inherit system; }` (dev-templates' form) with
        // `{ pkgs, system ? }: BODY` at the call: BODY reads perSystem's
        // `pkgs` and `system` under the same names.
        let user = unparen(user);
        let arg = unparen(pkgs.clone());
        if arg.kind() == SyntaxKind::NODE_ATTR_SET {
            let pkgs = self.pkgs_in_arguments(&arg, param)?;
            let names = pattern_names(&user).ok_or(
                "a generator that passes a set, called with something else than a function of `{ pkgs, ... }`",
            )?;
            let passed =
                |n: &str| n == "pkgs" || (n == "system" && self.passes_system(&arg, param));
            if let Some(n) = names.iter().find(|n| !passed(n)) {
                return Err(format!("its function takes `{n}`, which the generator does not pass as perSystem would"));
            }
            return Ok(SystemValue::PkgsFirst { user, pkgs, param });
        }
        // The function written at the call gets perSystem's `pkgs`: a name
        // (`forEachSystem mkShells`), or `p: BODY` whose `p` becomes `pkgs`
        // (no `pkgs` of BODY's own in the way).
        match user.kind() {
            SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT => {}
            SyntaxKind::NODE_LAMBDA => {
                let Some(p) = ident_param(&user) else {
                    return Err("a pkgs-first generator called with a function of a pattern (`{ pkgs, ... }: ...`)".into());
                };
                let own_pkgs = self.scope.binders.iter().any(|b| {
                    b.name == "pkgs"
                        && user.text_range().contains_range(b.name_range)
                        && b.name_range != p
                });
                if own_pkgs && &self.file.text[p] != "pkgs" {
                    return Err("its function binds a `pkgs` of its own".into());
                }
            }
            _ => return refuse(),
        }
        Ok(SystemValue::PkgsFirst { user, pkgs, param })
    }

    /// The `pkgs = EXPR;` of a set a generator passes, which may also hold
    /// the system (`inherit system;`, `system = s;`) and nothing else.
    fn pkgs_in_arguments(&self, set: &SyntaxNode, param: TextRange) -> Result<SyntaxNode, String> {
        let other =
            || Err("the generator passes a set with more than `pkgs` and the system".to_string());
        if set
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
        {
            return other();
        }
        let mut pkgs = None;
        for entry in set.children() {
            match entry.kind() {
                SyntaxKind::NODE_ATTRPATH_VALUE => {
                    let path = syntax::attrpath_names(&entry).unwrap_or_default();
                    let value = syntax::attr_value(&entry).map(unparen);
                    match (path.as_slice(), value) {
                        ([p], Some(v)) if p == "pkgs" => pkgs = Some(v),
                        ([s], Some(v)) if s == "system" && self.refers_to(&v, param) => {}
                        _ => return other(),
                    }
                }
                SyntaxKind::NODE_INHERIT => {
                    let plain = !entry
                        .children()
                        .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM);
                    let names: Vec<SyntaxNode> = entry.children().collect();
                    if !plain || names.iter().any(|n| !self.refers_to(n, param)) {
                        return other();
                    }
                }
                _ => return other(),
            }
        }
        pkgs.ok_or_else(|| "the generator passes a set without `pkgs`".to_string())
    }

    /// Whether `set` (see [`Flake::pkgs_in_arguments`]) passes the system.
    fn passes_system(&self, set: &SyntaxNode, param: TextRange) -> bool {
        set.descendants()
            .any(|n| n.kind() == SyntaxKind::NODE_IDENT && self.refers_to(&n, param))
    }

    /// Whether `node` is a reference to the parameter named at `param`.
    fn refers_to(&self, node: &SyntaxNode, param: TextRange) -> bool {
        self.scope
            .reference_at(node.text_range())
            .and_then(|r| r.binder)
            .is_some_and(|b| self.scope.binders[b].name_range == param)
    }

    fn system_strings(&self, w: &Whnf) -> Result<Vec<String>, String> {
        match w {
            Whnf::List(items) => items
                .iter()
                .map(|i| match self.resolve(i) {
                    Whnf::Str(s) => Ok(s),
                    Whnf::Unknown(u) => Err(u.why),
                    _ => Err("a system that is not a string".into()),
                })
                .collect(),
            Whnf::Unknown(u) => Err(format!("systems not known statically ({})", u.why)),
            _ => Err("systems not known statically".into()),
        }
    }

    /// The `// eachDefaultSystem (system: BODY)` operands of the outputs.
    pub fn each_system_operands(&self) -> Vec<EachSystem> {
        let Some(outputs) = &self.outputs else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for operand in &outputs.operands {
            if operand.kind() != SyntaxKind::NODE_APPLY {
                continue;
            }
            let Whnf::Call { function, args, .. } = self.resolve(&self.val(operand.clone())) else {
                continue;
            };
            let systems = if function.is_function("eachDefaultSystem") && args.len() == 1 {
                Ok(FLAKE_UTILS_DEFAULT_SYSTEMS
                    .iter()
                    .map(|s| s.to_string())
                    .collect())
            } else if function.is_function("eachSystem") && args.len() == 2 {
                self.system_strings(&self.resolve(&args[0]))
            } else {
                continue;
            };
            let Some(f) = args.last() else { continue };
            let lambda = unparen(f.node.clone());
            if f.file != 0 || lambda.kind() != SyntaxKind::NODE_LAMBDA {
                continue;
            }
            let Some(SystemValue::Body { body, param }) = lambda_body(&lambda) else {
                continue;
            };
            let keys = match self.resolve(&self.val(body.clone())) {
                w @ Whnf::Attrs(_) => self.entries(&w).map_err(|u| u.why).and_then(|es| {
                    es.iter()
                        .map(|e| {
                            e.key
                                .name()
                                .map(str::to_string)
                                .ok_or_else(|| "an output with a dynamic name".to_string())
                        })
                        .collect()
                }),
                Whnf::Unknown(u) => Err(u.why),
                _ => Err("the function does not return an attribute set".into()),
            };
            out.push(EachSystem {
                call: operand.clone(),
                systems,
                body,
                param,
                keys,
            });
        }
        out
    }

    /// The one binding of the outputs' `let` that instantiates the `nixpkgs`
    /// input per system (`pkgsFor = system: import nixpkgs { inherit system;
    /// ... };` or `pkgsFor = genAttrs systems (system: import nixpkgs {
    /// ... });`), when there is exactly one.
    pub fn shared_pkgs(&self) -> Option<SharedPkgs> {
        let outputs = self.outputs.as_ref()?;
        let mut found = Vec::new();
        for l in &outputs.lets {
            for entry in l
                .children()
                .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
            {
                let Some(path) = syntax::attrpath_names(&entry) else {
                    continue;
                };
                let [name] = path.as_slice() else { continue };
                let Some(value) = syntax::attr_value(&entry) else {
                    continue;
                };
                let value = unparen(value);
                let (lambda, function) = if value.kind() == SyntaxKind::NODE_LAMBDA {
                    (value, true)
                } else {
                    match self.resolve(&self.val(value.clone())) {
                        Whnf::Call { function, args, .. }
                            if function.is_function("genAttrs")
                                && args.len() == 2
                                && args[1].file == 0
                                && unparen(args[1].node.clone()).kind()
                                    == SyntaxKind::NODE_LAMBDA =>
                        {
                            (unparen(args[1].node.clone()), false)
                        }
                        _ => continue,
                    }
                };
                if ident_param(&lambda).is_none() {
                    continue;
                }
                let Some(body) = lambda.children().last().map(unparen) else {
                    continue;
                };
                if self.imports_nixpkgs(&body) {
                    found.push(SharedPkgs {
                        name: name.clone(),
                        function,
                    });
                }
            }
        }
        (found.len() == 1).then(|| found.remove(0))
    }

    /// `import nixpkgs { ... }` (or `import inputs.nixpkgs { ... }`).
    fn imports_nixpkgs(&self, body: &SyntaxNode) -> bool {
        if body.kind() != SyntaxKind::NODE_APPLY {
            return false;
        }
        let Some(head) = body.children().next().map(unparen) else {
            return false;
        };
        if head.kind() != SyntaxKind::NODE_APPLY {
            return false;
        }
        let (Some(import), Some(what)) = (head.children().next(), head.children().nth(1)) else {
            return false;
        };
        if unparen(import).text() != "import" {
            return false;
        }
        // The `nixpkgs` input; without one, an input whose URL names nixpkgs.
        let has_nixpkgs = self.inputs.iter().any(|i| i.name == "nixpkgs");
        let is_nixpkgs = |name: &str| {
            name == "nixpkgs"
                || !has_nixpkgs
                    && self.inputs.iter().any(|i| {
                        i.name == name && i.url.as_deref().is_some_and(|u| u.contains("nixpkgs"))
                    })
        };
        match self.resolve(&self.val(what)) {
            Whnf::External(e) => match (&e.root, e.path.as_slice()) {
                (super::eval::Root::Input(n), []) => is_nixpkgs(n),
                (super::eval::Root::Inputs, [n]) => is_nixpkgs(n),
                _ => false,
            },
            _ => false,
        }
    }

    /// One system's value as text for a binding that starts a line indented
    /// by `to` (it was indented by `from`): references to the system become
    /// `system`, lines are shifted, and the text starts on a new line
    /// (`\n` + indentation) when the value started its own line.
    pub fn system_value_text(&self, v: &SystemValue, from: &str, to: &str) -> String {
        self.system_value_text_with(v, from, to, &[])
    }

    /// [`Flake::system_value_text`] with `extra` edits inside the value
    /// (from [`Flake::shared_pkgs_edits`]) applied too.
    pub fn system_value_text_with(
        &self,
        v: &SystemValue,
        from: &str,
        to: &str,
        extra: &[Edit],
    ) -> String {
        let (node, renames): (SyntaxNode, Vec<TextRange>) = match v {
            SystemValue::Body { body, param } => (
                body.clone(),
                (&self.file.text[*param] != "system")
                    .then_some(*param)
                    .into_iter()
                    .collect(),
            ),
            SystemValue::Verbatim { value } => (value.clone(), Vec::new()),
            SystemValue::Apply { function } => {
                return crate::syntax::make::apply_to_system(&function.text().to_string());
            }
            SystemValue::Literal { value, system } => {
                let mut set = EditSet::new();
                for n in value.descendants() {
                    if let Some(with) = system_occurrence(&n, system) {
                        let _ = set.add(Edit::replace(n.text_range(), with));
                    }
                }
                return self.shifted(value, set, from, to);
            }
            SystemValue::PkgsFirst { user, .. } => {
                // `{ pkgs, system }: BODY`: BODY, the names perSystem's.
                if pattern_names(user).is_some() {
                    if let Some(body) = user.children().last() {
                        return self.shifted(&unparen(body), EditSet::new(), from, to);
                    }
                }
                // `p: BODY` given perSystem's `pkgs`: BODY, `p` written `pkgs`.
                if let Some(SystemValue::Body { body, param: p }) = lambda_body(user) {
                    let mut set = EditSet::new();
                    if &self.file.text[p] != "pkgs" {
                        for r in self.references_to(p, body.text_range()) {
                            let _ = set.add(Edit::replace(r, "pkgs"));
                        }
                    }
                    return self.shifted(&body, set, from, to);
                }
                // A function by name: applied to perSystem's `pkgs`.
                return crate::syntax::make::apply(&user.text().to_string(), "pkgs");
            }
        };
        let mut set = EditSet::new();
        for e in extra {
            let _ = set.add(e.clone());
        }
        for r in &renames {
            for reference in self.references_to(*r, node.text_range()) {
                if !extra.iter().any(|e| e.range.contains_range(reference)) {
                    let _ = set.add(Edit::replace(reference, "system"));
                }
            }
        }
        self.shifted(&node, set, from, to)
    }

    /// Edits that make a moved `param: BODY` read perSystem's `pkgs` where
    /// it reads `shared` for the system (`_module.args.pkgs` is that value):
    /// `let pkgs = pkgsFor system; in BODY` (its only binding) becomes BODY,
    /// and `(pkgsFor system).hello` becomes `pkgs.hello`. Nothing where a
    /// `pkgs` of the body's own would be in the way, or a comment would go.
    pub fn shared_pkgs_edits(&self, v: &SystemValue, shared: &SharedPkgs) -> Vec<Edit> {
        let SystemValue::Body { body, param } = v else {
            return Vec::new();
        };
        let Some(system) = self.scope.binder_named_at(*param) else {
            return Vec::new();
        };
        let is_shared = |node: &SyntaxNode| -> bool {
            let node = unparen(node.clone());
            node.kind() == SyntaxKind::NODE_IDENT
                && self
                    .scope
                    .reference_at(node.text_range())
                    .and_then(|r| r.binder)
                    .is_some_and(|b| {
                        let binder = &self.scope.binders[b];
                        binder.name == shared.name
                            && self
                                .outputs
                                .as_ref()
                                .is_some_and(|o| o.lets.contains(&binder.scope))
                    })
        };
        let is_system = |node: &SyntaxNode| -> bool {
            let node = unparen(node.clone());
            node.kind() == SyntaxKind::NODE_IDENT
                && self
                    .scope
                    .reference_at(node.text_range())
                    .and_then(|r| r.binder)
                    == Some(system)
        };
        // `pkgsFor system` or `pkgsFor.${system}`.
        let matches = |n: &SyntaxNode| -> bool {
            match n.kind() {
                SyntaxKind::NODE_APPLY if shared.function => {
                    let (Some(f), Some(a)) = (n.children().next(), n.children().nth(1)) else {
                        return false;
                    };
                    is_shared(&f) && is_system(&a)
                }
                SyntaxKind::NODE_SELECT if !shared.function => {
                    let (Some(set), Some(path)) = (n.children().next(), n.children().nth(1)) else {
                        return false;
                    };
                    let attrs: Vec<SyntaxNode> = path.children().collect();
                    is_shared(&set)
                        && attrs.len() == 1
                        && attrs[0].kind() == SyntaxKind::NODE_DYNAMIC
                        && attrs[0].children().next().is_some_and(|i| is_system(&i))
                        && !n
                            .children_with_tokens()
                            .any(|t| t.kind() == SyntaxKind::TOKEN_OR)
                }
                _ => false,
            }
        };
        let mut edits = Vec::new();
        // `let pkgs = <shared>; in REST` as the whole body.
        let mut dropped: Option<TextRange> = None;
        if body.kind() == SyntaxKind::NODE_LET_IN {
            let bindings: Vec<SyntaxNode> = body
                .children()
                .filter(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .collect();
            let rest = body.children().last();
            if let ([b], Some(rest)) = (bindings.as_slice(), rest) {
                let named_pkgs = syntax::attrpath_names(b).is_some_and(|p| p == ["pkgs"]);
                let value = syntax::attr_value(b);
                let range = TextRange::new(body.text_range().start(), rest.text_range().start());
                let comment = body.children_with_tokens().any(|t| {
                    t.kind() == SyntaxKind::TOKEN_COMMENT && range.contains_range(t.text_range())
                }) || b
                    .descendants_with_tokens()
                    .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT);
                if named_pkgs && value.is_some_and(|v| matches(&unparen(v))) && !comment {
                    edits.push(Edit::delete(range));
                    dropped = Some(range);
                }
            }
        }
        // Every other `pkgsFor system`, unless a `pkgs` of the body's own
        // (other than the dropped one) is in scope there.
        for n in body.descendants() {
            if dropped.is_some_and(|d| d.contains_range(n.text_range())) || !matches(&n) {
                continue;
            }
            let shadowed = self.scope.binders.iter().any(|b| {
                b.name == "pkgs"
                    && body.text_range().contains_range(b.name_range)
                    && !dropped.is_some_and(|d| d.contains_range(b.name_range))
                    && b.scope.text_range().contains_range(n.text_range())
            });
            if shadowed {
                continue;
            }
            let target = match n.parent() {
                Some(p) if p.kind() == SyntaxKind::NODE_PAREN => p,
                _ => n.clone(),
            };
            if edits
                .iter()
                .any(|e: &Edit| e.range.contains_range(target.text_range()))
            {
                continue;
            }
            edits.push(Edit::replace(target.text_range(), "pkgs"));
        }
        edits
    }

    /// Why the code of `v` cannot move into a `perSystem` function of
    /// `formals` placed where the outputs' attribute set is: a name it reads
    /// would be bound by something else there (a binding around the output,
    /// a `with` around it, or one of `formals`).
    pub fn system_value_movable(&self, v: &SystemValue, formals: &[&str]) -> Result<(), String> {
        let Some(outputs) = &self.outputs else {
            return Err("no outputs".into());
        };
        let target = outputs.body.text_range();
        let (nodes, own): (Vec<&SyntaxNode>, Vec<TextRange>) = match v {
            SystemValue::Body { body, param } => (vec![body], vec![*param]),
            SystemValue::Verbatim { value } => (vec![value], Vec::new()),
            SystemValue::Literal { value, .. } => (vec![value], Vec::new()),
            SystemValue::Apply { function } => (vec![function], Vec::new()),
            SystemValue::PkgsFirst { user, pkgs, param } => (vec![user, pkgs], vec![*param]),
        };
        for node in nodes {
            for r in self.scope.free_in(node.text_range()) {
                match r.binder {
                    Some(b) if own.contains(&self.scope.binders[b].name_range) => continue,
                    Some(b) => {
                        let binder = &self.scope.binders[b];
                        if !binder.scope.text_range().contains_range(target)
                            || binder.scope.text_range() == target
                        {
                            return Err(format!(
                                "`{}` is bound around the output, not where perSystem goes",
                                r.name
                            ));
                        }
                        // Let `system = "..."` is checked by the caller (one system).
                        if formals.contains(&r.name.as_str()) && r.name != "system" {
                            return Err(format!(
                                "`{}` would mean perSystem's `{}` instead of its own binding",
                                r.name, r.name
                            ));
                        }
                        if r.name == "system" && !matches!(v, SystemValue::Verbatim { .. }) {
                            return Err("`system` is bound outside the output".into());
                        }
                    }
                    None => {
                        let outer = r
                            .withs
                            .iter()
                            .filter(|w| !node.text_range().contains_range(w.text_range()));
                        for w in outer {
                            if !w.text_range().contains_range(target) {
                                return Err(format!(
                                    "`{}` may come from a `with` around the output",
                                    r.name
                                ));
                            }
                        }
                        if !r.withs.is_empty() && formals.contains(&r.name.as_str()) {
                            return Err(format!(
                                "`{}` may come from a `with`, which perSystem's `{}` would shadow",
                                r.name, r.name
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// References inside `within` to the binder whose name is at `name`.
    fn references_to(&self, name: TextRange, within: TextRange) -> Vec<TextRange> {
        let Some(b) = self.scope.binder_named_at(name) else {
            return Vec::new();
        };
        self.scope
            .uses_of(b)
            .filter(|r| within.contains_range(r.range))
            .map(|r| r.range)
            .collect()
    }

    /// The text of `node` with the references to the parameter named at
    /// `param` written `system`.
    pub fn with_system(&self, node: &SyntaxNode, param: TextRange) -> String {
        self.renamed(node, &[param])
    }

    fn renamed(&self, node: &SyntaxNode, params: &[TextRange]) -> String {
        let mut set = EditSet::new();
        for p in params {
            for r in self.references_to(*p, node.text_range()) {
                let _ = set.add(Edit::replace(r, "system"));
            }
        }
        set.apply_within(&self.file.text, TextSize::from(0), node.text_range())
    }

    /// `node`'s text with `set` applied and its lines shifted from `from` to `to`.
    fn shifted(&self, node: &SyntaxNode, set: EditSet, from: &str, to: &str) -> String {
        let text = self.file.text.as_str();
        let start = usize::from(node.text_range().start());
        let own_line = syntax::starts_line(text, start);
        let render = |from: &str| {
            let mut set = set.clone();
            for e in shift_edits(
                &self.file.root,
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
                // What is left starts with a bracket (its `let` went): on
                // the binding's line, as nixfmt writes it.
                return render(&format!("{from}{rest}"));
            }
            format!("\n{to}{rest}{body}")
        } else {
            body
        }
    }
}

/// `param: BODY` with an identifier parameter.
fn lambda_body(lambda: &SyntaxNode) -> Option<SystemValue> {
    let param = ident_param(lambda)?;
    let body = unparen_keep(lambda.children().last()?);
    Some(SystemValue::Body { body, param })
}

/// The body of a lambda: parentheses around it are kept only when needed.
fn unparen_keep(node: SyntaxNode) -> SyntaxNode {
    unparen(node)
}

/// The formals of `{ a, b, ... }: ...` when none has a default and there
/// is no `@` name.
fn pattern_names(lambda: &SyntaxNode) -> Option<Vec<String>> {
    if lambda.kind() != SyntaxKind::NODE_LAMBDA {
        return None;
    }
    let pattern = lambda
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)?;
    let mut names = Vec::new();
    for part in pattern.children() {
        match part.kind() {
            SyntaxKind::NODE_PAT_ENTRY => {
                if part.children().count() > 1 {
                    return None; // a default
                }
                names.push(part.first_child()?.text().to_string());
            }
            _ => return None, // `@name`
        }
    }
    Some(names)
}

/// The range of the name of `x` in `x: ...`.
fn ident_param(lambda: &SyntaxNode) -> Option<TextRange> {
    let p = lambda
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_IDENT_PARAM)?;
    Some(p.first_child()?.text_range())
}

/// Values written per literal system: the same expression up to the
/// system's string literal.
#[allow(clippy::type_complexity)]
fn literal_systems(
    pairs: &[((String, bool), SyntaxNode, bool)],
) -> (Result<Vec<String>, String>, Result<SystemValue, String>) {
    let systems: Vec<String> = pairs.iter().map(|((s, _), _, _)| s.clone()).collect();
    if systems.iter().any(|s| !is_system(s)) {
        return (
            Err("keys that are not systems".into()),
            Err("keys that are not systems".into()),
        );
    }
    if pairs.len() == 1 {
        let ((system, dynamic), value, _) = &pairs[0];
        let v = if *dynamic {
            SystemValue::Verbatim {
                value: value.clone(),
            }
        } else {
            SystemValue::Literal {
                value: value.clone(),
                system: system.clone(),
            }
        };
        return (Ok(systems), Ok(v));
    }
    if pairs.iter().any(|(_, _, dynamic)| *dynamic) {
        return (
            Ok(systems),
            Err("values written under `${...}` keys".into()),
        );
    }
    let template = |(s, v): (&String, &SyntaxNode)| system_template(v, s);
    let first = template((&pairs[0].0 .0, &pairs[0].1));
    let same = pairs.iter().all(|((s, _), v, _)| template((s, v)) == first);
    // Comments inside the other systems' values would be lost.
    let comments = pairs[1..].iter().any(|(_, v, _)| {
        v.descendants_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    });
    if !same {
        return (Ok(systems), Err("different content per system".into()));
    }
    if comments {
        return (
            Ok(systems),
            Err("comments in the values of other systems".into()),
        );
    }
    (
        Ok(systems),
        Ok(SystemValue::Literal {
            value: pairs[0].1.clone(),
            system: pairs[0].0 .0.clone(),
        }),
    )
}

/// What a mention of the system `system` in a value written for it
/// becomes in perSystem: a string literal `"x86_64-linux"` becomes
/// `system`, a selected attribute (`legacyPackages.x86_64-linux`,
/// `.${"x86_64-linux"}`) becomes `${system}`. A binding's name is not one.
fn system_occurrence(node: &SyntaxNode, system: &str) -> Option<&'static str> {
    let parent = node.parent()?;
    let selected = parent.kind() == SyntaxKind::NODE_ATTRPATH
        && parent.parent().is_some_and(|p| {
            matches!(
                p.kind(),
                SyntaxKind::NODE_SELECT | SyntaxKind::NODE_HAS_ATTR
            )
        });
    match node.kind() {
        SyntaxKind::NODE_STRING
            if crate::flake::string_literal(node).as_deref() == Some(system) =>
        {
            if parent.kind() != SyntaxKind::NODE_ATTRPATH {
                Some("system")
            } else if selected {
                Some("${system}")
            } else {
                None
            }
        }
        SyntaxKind::NODE_IDENT if selected && node.text() == system => Some("${system}"),
        _ => None,
    }
}

/// The tokens of `value` (trivia aside) with each mention of `system`
/// (see [`system_occurrence`]) as one placeholder: equal templates mean
/// values that differ only in their system.
fn system_template(value: &SyntaxNode, system: &str) -> String {
    let mut out = String::new();
    let mut skip: Option<TextRange> = None;
    for e in value.descendants_with_tokens() {
        if skip.is_some_and(|r| r.contains_range(e.text_range())) {
            continue;
        }
        match e {
            rnix::NodeOrToken::Node(n) => {
                if system_occurrence(&n, system).is_some() {
                    out.push_str("\u{0}system\u{0} ");
                    skip = Some(n.text_range());
                }
            }
            rnix::NodeOrToken::Token(t) => {
                if !matches!(
                    t.kind(),
                    SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
                ) {
                    out.push_str(t.text());
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// `x86_64-linux`, `aarch64-darwin`...: an `ARCH-OS` system name.
pub fn is_system(s: &str) -> bool {
    let Some((arch, os)) = s.split_once('-') else {
        return false;
    };
    !arch.is_empty()
        && matches!(
            os,
            "linux" | "darwin" | "freebsd" | "openbsd" | "netbsd" | "none" | "windows" | "genode"
        )
}

impl Flake {
    /// The outputs (of the outputs' attribute set) whose code, or the `let`
    /// bindings it reads, uses the whole inputs set (`inherit inputs;`,
    /// `specialArgs = { inherit inputs; }`, `f inputs`) rather than one
    /// input (`inputs.x`), or passes `self` on whole, or reads
    /// `self.<output>` of such an output: what may see a new input or
    /// flake-parts' changes to the outputs.
    pub fn outputs_reading_inputs_set(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let Some(outputs) = &self.outputs else {
            return out;
        };
        let Some(inputs) = self.scope.binders.iter().position(|b| {
            b.scope == outputs.lambda
                && matches!(
                    b.kind,
                    crate::scope::BinderKind::PatternBind | crate::scope::BinderKind::Param
                )
        }) else {
            return out;
        };
        let self_binder = self.scope.binders.iter().position(|b| {
            b.scope == outputs.lambda
                && b.name == "self"
                && b.kind == crate::scope::BinderKind::Formal
        });
        // Each output's code: its entry and the bindings it reads.
        let code: Vec<(String, Vec<TextRange>)> = outputs
            .defs
            .iter()
            .map(|def| {
                let roots = vec![def.entry.text_range()];
                let mut ranges = roots.clone();
                for b in &self.scope.reachable(&roots, |_| true) {
                    ranges.extend(
                        self.scope.binders[*b]
                            .entries
                            .iter()
                            .map(|e| e.text_range()),
                    );
                }
                (def.name.clone(), ranges)
            })
            .collect();
        let uses_in = |b: usize, ranges: &[TextRange]| -> Vec<TextRange> {
            self.scope
                .uses_of(b)
                .filter(|r| ranges.iter().any(|range| range.contains_range(r.range)))
                .map(|r| r.range)
                .collect()
        };
        for (name, ranges) in &code {
            let whole_inputs = uses_in(inputs, ranges).iter().any(|r| !self.selected(*r));
            // `self` passed on whole may be read for any output (`"${self}"`
            // is only its path, which does not change).
            let whole_self = self_binder.is_some_and(|sb| {
                uses_in(sb, ranges)
                    .iter()
                    .any(|r| !self.selected(*r) && !self.interpolated(*r))
            });
            if whole_inputs || whole_self {
                out.insert(name.clone());
            }
        }
        // And what reads those through `self.<output>`, until nothing changes.
        if let Some(sb) = self_binder {
            for _ in 0..code.len() {
                let before = out.len();
                for (name, ranges) in &code {
                    if uses_in(sb, ranges)
                        .iter()
                        .filter_map(|r| self.selected_name(*r))
                        .any(|n| out.contains(&n))
                    {
                        out.insert(name.clone());
                    }
                }
                if out.len() == before {
                    break;
                }
            }
        }
        out
    }

    /// Whether the identifier at `range` is the whole of an interpolation (`"${x}"`).
    fn interpolated(&self, range: TextRange) -> bool {
        let node = match self.file.root.covering_element(range) {
            rnix::NodeOrToken::Node(n) => n,
            rnix::NodeOrToken::Token(t) => match t.parent() {
                Some(p) => p,
                None => return false,
            },
        };
        node.parent()
            .is_some_and(|p| p.kind() == SyntaxKind::NODE_INTERPOL)
    }

    /// `y` when the identifier at `range` is selected from (`x.y...`).
    fn selected_name(&self, range: TextRange) -> Option<String> {
        if !self.selected(range) {
            return None;
        }
        let mut node = match self.file.root.covering_element(range) {
            rnix::NodeOrToken::Node(n) => n,
            rnix::NodeOrToken::Token(t) => t.parent()?,
        };
        if node.kind() != SyntaxKind::NODE_IDENT {
            node = node.parent()?;
        }
        let select = node.parent()?;
        let attrpath = select
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
        syntax::static_attr_name(&attrpath.first_child()?)
    }

    /// Whether the identifier at `range` is the set of a selection (`x.y`).
    fn selected(&self, range: TextRange) -> bool {
        let mut node = match self.file.root.covering_element(range) {
            rnix::NodeOrToken::Node(n) => n,
            rnix::NodeOrToken::Token(t) => match t.parent() {
                Some(p) => p,
                None => return false,
            },
        };
        if node.kind() != SyntaxKind::NODE_IDENT {
            match node.parent() {
                Some(p) => node = p,
                None => return false,
            }
        }
        node.parent().is_some_and(|p| {
            p.kind() == SyntaxKind::NODE_SELECT && p.first_child().as_ref() == Some(&node)
        })
    }
}

impl SystemValue {
    /// Whether the value, written into perSystem, reads perSystem's `pkgs`:
    /// the pkgs-first form (its function gets `pkgs`).
    pub fn reads_module_pkgs(&self, _flake: &Flake) -> bool {
        matches!(self, SystemValue::PkgsFirst { .. })
    }

    /// The nodes of flake.nix whose text the moved value keeps.
    pub fn kept_nodes(&self) -> Vec<SyntaxNode> {
        match self {
            SystemValue::Body { body, .. } => vec![body.clone()],
            SystemValue::Apply { function } => vec![function.clone()],
            SystemValue::PkgsFirst { user, pkgs, .. } => vec![user.clone(), pkgs.clone()],
            SystemValue::Literal { value, .. } | SystemValue::Verbatim { value } => {
                vec![value.clone()]
            }
        }
    }
}

impl Flake {
    /// The `let` bindings of the outputs that only the generator calls of
    /// `moved` (entries that go, keeping the text of `kept`) use, directly
    /// or through each other: what nothing reads once they move. Bindings
    /// the kept code or `also_kept` (new code's names, e.g. `pkgsFor`)
    /// reads are never among them.
    pub fn bindings_left_unused(
        &self,
        moved: &[SyntaxNode],
        kept: &[SyntaxNode],
        also_kept: &[&str],
    ) -> Vec<usize> {
        let Some(outputs) = &self.outputs else {
            return Vec::new();
        };
        let kept_ranges: Vec<TextRange> = kept.iter().map(|k| k.text_range()).collect();
        let mut needed = self.scope.reachable(&kept_ranges, |_| true);
        for (i, b) in self.scope.binders.iter().enumerate() {
            if also_kept.contains(&b.name.as_str()) && outputs.lets.contains(&b.scope) {
                needed.insert(i);
                let entries: Vec<TextRange> = b.entries.iter().map(|e| e.text_range()).collect();
                needed.extend(self.scope.reachable(&entries, |_| true));
            }
        }
        let roots: Vec<TextRange> = moved.iter().map(|m| m.text_range()).collect();
        self.scope
            .exclusively_used(&roots, |b| {
                let binder = &self.scope.binders[b];
                binder.kind == crate::scope::BinderKind::Let
                    && outputs.lets.contains(&binder.scope)
                    && !needed.contains(&b)
            })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use std::path::Path;

    fn load(src: &str) -> Flake {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flake.nix"), src).unwrap();
        let ws = Workspace::new(dir.path());
        Flake::load(&ws, Path::new("flake.nix")).unwrap()
    }

    fn flake(lets: &str, body: &str) -> Flake {
        load(&format!(
            "{{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs\";\n  outputs = {{ self, nixpkgs, ... }}@inputs:\n    let\n{lets}\n    in\n    {{\n{body}\n    }};\n}}\n"
        ))
    }

    fn output<'a>(outs: &'a [PerSystemOutput], name: &str) -> &'a PerSystemOutput {
        outs.iter().find(|o| o.name == name).unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn gen_attrs_through_an_alias_and_point_free() {
        let f = flake(
            "      systems = [ \"x86_64-linux\" \"aarch64-darwin\" ];\n      forAllSystems = nixpkgs.lib.genAttrs systems;\n      mk = s: { };",
            "      devShells = forAllSystems (s: { default = s; });\n      checks = forAllSystems mk;",
        );
        let outs = f.per_system_outputs();
        let d = output(&outs, "devShells");
        assert_eq!(d.systems, Ok(strings(&["x86_64-linux", "aarch64-darwin"])));
        let Ok(v @ SystemValue::Body { .. }) = &d.value else {
            panic!("{:?}", d.value)
        };
        assert_eq!(f.system_value_text(v, "", ""), "{ default = system; }");
        let c = output(&outs, "checks");
        assert!(matches!(&c.value, Ok(SystemValue::Apply { function }) if function.text() == "mk"));
    }

    #[test]
    fn pkgs_first_alias() {
        let f = flake(
            "      systems = [ \"x86_64-linux\" ];\n      pkgsFor = nixpkgs.lib.genAttrs systems (system: import nixpkgs { inherit system; });\n      forEachSystem = f: nixpkgs.lib.genAttrs systems (s: f pkgsFor.${s});",
            "      packages = forEachSystem (pkgs: { default = pkgs.hello; });",
        );
        let outs = f.per_system_outputs();
        let p = output(&outs, "packages");
        let Ok(SystemValue::PkgsFirst { pkgs, param, .. }) = &p.value else {
            panic!("{:?}", p.value)
        };
        assert_eq!(f.with_system(pkgs, *param), "pkgsFor.${system}");
        let shared = f.shared_pkgs().unwrap();
        assert_eq!((shared.name.as_str(), shared.function), ("pkgsFor", false));
    }

    #[test]
    fn literal_systems_same_up_to_the_system_or_not() {
        let f = flake(
            "      mk = s: { };",
            "      packages = { x86_64-linux = mk \"x86_64-linux\"; aarch64-linux = mk \"aarch64-linux\"; };\n      apps.x86_64-linux = mk \"x86_64-linux\";\n      apps.aarch64-darwin = { };",
        );
        let outs = f.per_system_outputs();
        let p = output(&outs, "packages");
        assert_eq!(p.systems, Ok(strings(&["x86_64-linux", "aarch64-linux"])));
        let Ok(v) = &p.value else { panic!() };
        assert_eq!(f.system_value_text(v, "", ""), "mk system");
        let a = output(&outs, "apps");
        assert_eq!(
            a.value.as_ref().err().map(String::as_str),
            Some("different content per system")
        );
    }

    #[test]
    fn hand_written_parts_on_several_systems() {
        let f = flake(
            "      x = 1;",
            "      packages.x86_64-linux.a = nixpkgs.legacyPackages.x86_64-linux.hello;\n      packages.aarch64-linux.a = nixpkgs.legacyPackages.aarch64-linux.hello;\n      checks.x86_64-linux.a = { x86_64-linux = 1; };\n      checks.aarch64-linux.a = { aarch64-linux = 1; };",
        );
        let outs = f.per_system_outputs();
        let p = output(&outs, "packages");
        assert_eq!(p.systems, Ok(strings(&["x86_64-linux", "aarch64-linux"])));
        assert_eq!(p.parts.len(), 1);
        assert_eq!(p.parts[0].0, strings(&["a"]));
        assert_eq!(
            f.system_value_text(&p.parts[0].1, "", ""),
            "nixpkgs.legacyPackages.${system}.hello"
        );
        // A binding's name is not the system's mention: different content.
        let c = output(&outs, "checks");
        assert_eq!(
            c.value.as_ref().err().map(String::as_str),
            Some("different content per system")
        );
    }

    #[test]
    fn a_replaced_system_is_not_a_generator() {
        let f = flake(
            "      forAllSystems = nixpkgs.lib.genAttrs [ \"x86_64-linux\" \"aarch64-linux\" ];",
            "      packages = forAllSystems (system: { }) // { aarch64-linux = { }; };",
        );
        let outs = f.per_system_outputs();
        assert!(output(&outs, "packages").value.is_err());
    }

    #[test]
    fn per_system_pkgs_replaces_the_shared_instantiation_only_where_safe() {
        let lets = "      pkgsFor = system: import nixpkgs { inherit system; config.allowUnfree = true; };\n      forAllSystems = nixpkgs.lib.genAttrs [ \"x86_64-linux\" ];";
        let text = |body: &str| {
            let f = flake(
                lets,
                &format!("      packages = forAllSystems (s: {body});"),
            );
            let shared = f.shared_pkgs().unwrap();
            let outs = f.per_system_outputs();
            let v = output(&outs, "packages").value.clone().unwrap();
            let edits = f.shared_pkgs_edits(&v, &shared);
            f.system_value_text_with(&v, "", "", &edits)
        };
        // The only binding goes; other uses read perSystem's `pkgs`.
        assert_eq!(
            text("let pkgs = pkgsFor s; in { a = pkgs.hello; b = (pkgsFor s).jq; }"),
            "{ a = pkgs.hello; b = pkgs.jq; }"
        );
        // Another binding beside it: the `let` stays, and nothing inside
        // its scope is rewritten (no `pkgs = pkgs;`).
        assert_eq!(
            text("let pkgs = pkgsFor s; x = 1; in pkgsFor s"),
            "let pkgs = pkgsFor system; x = 1; in pkgsFor system"
        );
        // A `pkgs` parameter of the body's own is in the way.
        assert_eq!(
            text("{ f = pkgs: (pkgsFor s).hello; }"),
            "{ f = pkgs: (pkgsFor system).hello; }"
        );
        // Another system than the generator's: untouched.
        assert_eq!(
            text("{ x = (pkgsFor \"aarch64-linux\").hello; }"),
            "{ x = (pkgsFor \"aarch64-linux\").hello; }"
        );
    }

    #[test]
    fn two_instantiations_are_not_shared() {
        let f = flake(
            "      a = system: import nixpkgs { inherit system; };\n      b = system: import nixpkgs { inherit system; config.allowUnfree = true; };",
            "      packages = { };",
        );
        assert!(f.shared_pkgs().is_none());
    }

    #[test]
    fn what_reads_the_whole_inputs_set() {
        let f = flake(
            "      mk = name: nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; };",
            "      nixosConfigurations.a = mk \"a\";\n      packages.x86_64-linux.b = inputs.nixpkgs.legacyPackages.x86_64-linux.hello;\n      checks.x86_64-linux.a = self.nixosConfigurations.a.config.system.build.toplevel;\n      lib.path = \"${self}/x\";",
        );
        let readers = f.outputs_reading_inputs_set();
        assert_eq!(
            readers.into_iter().collect::<Vec<_>>(),
            strings(&["checks", "nixosConfigurations"])
        );
    }

    #[test]
    fn each_default_system_operand() {
        let f = load(
            "{\n  outputs = { self, nixpkgs, flake-utils }:\n    { nixosModules.a = { }; } // flake-utils.lib.eachDefaultSystem (sys: { packages.x = sys; devShells = { }; });\n}\n",
        );
        let each = f.each_system_operands();
        assert_eq!(each.len(), 1);
        assert_eq!(each[0].keys, Ok(strings(&["packages", "devShells"])));
        assert_eq!(each[0].systems.as_ref().unwrap().len(), 4);
        assert!(f.output_names().contains("packages"));
    }
}
