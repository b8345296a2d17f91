//! The flake's outputs, configurations and module lists, followed across
//! files, helpers and generators with [`super::eval`].
//!
//! Each output definition is recorded at its real file and range, whether
//! it is written in flake.nix, in a file flake.nix imports
//! (`nixosConfigurations = import ./hosts { ... }`, `outputs = inputs:
//! import ./outputs inputs`), in a flake-parts module (`flake.<name>`,
//! through `imports`), or inside a per-system generator
//! (`eachDefaultSystem`). What cannot be followed is recorded as an
//! [`Unknown`], never dropped.

use std::path::PathBuf;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::eval::{Arg, Entry, External, FileId, Hop, Lookup, Part, Root, Unknown, Val, Whnf};
use super::{Flake, BUILDERS};
use crate::modules::Module;
use crate::syntax::unparen;

/// How an output's attributes are produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Written as an attribute (possibly in another file).
    Attr,
    /// A flake-parts module's `flake.<name>`.
    FlakeParts,
    /// Inside a per-system generator such as `eachDefaultSystem (system: { ... })`:
    /// the generator's function name, and where the call is.
    PerSystem {
        function: String,
        file: FileId,
        range: TextRange,
    },
}

/// One output definition.
#[derive(Clone, Debug)]
pub struct OutputSource {
    pub name: String,
    pub entry: Entry,
    pub origin: Origin,
}

/// The outputs as far as they can be followed.
#[derive(Clone, Debug, Default)]
pub struct OutputsModel {
    pub sources: Vec<OutputSource>,
    /// Parts of the outputs that could not be followed.
    pub unknowns: Vec<Unknown>,
    /// Whether the outputs come from flake-parts' `mkFlake`.
    pub flake_parts: bool,
}

/// How a configuration's builder is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A builder from an input or a library, e.g. `nixpkgs.lib.nixosSystem`
    /// (the text of the function expression).
    Direct(String),
    /// A local helper whose body calls a builder: the outermost function
    /// entered (`mkSystem`, `self.lib.mkSystem`).
    Helper {
        /// The `let`/`rec` binding the call names (file, binder), when it
        /// names one (not for `self.lib.mkSystem`).
        binder: Option<(FileId, usize)>,
        /// Where the helper's function is: file and range of its `NODE_LAMBDA`.
        lambda: (FileId, TextRange),
        name: String,
    },
}

/// A call that builds a configuration.
#[derive(Debug, Clone)]
pub struct BuilderCall {
    /// The builder application itself (`nixpkgs.lib.nixosSystem { ... }`),
    /// wherever it is written, with the helper arguments bound.
    pub call: Val,
    /// The builder (`nixosSystem`...).
    pub builder: &'static str,
    /// Its argument (usually an attribute set).
    pub arg: Val,
    pub via: Via,
    /// Every function entered between the configuration and the builder.
    pub hops: Vec<Hop>,
}

/// One entry of `nixosConfigurations`, `homeConfigurations` or `darwinConfigurations`.
#[derive(Debug, Clone)]
pub struct Configuration {
    /// The output it belongs to.
    pub output: String,
    /// Its name, when known statically.
    pub name: Option<String>,
    /// The file of `entry`.
    pub file: FileId,
    /// The `NODE_ATTRPATH_VALUE` that defines it, or the generator call.
    pub entry: SyntaxNode,
    /// Its value, followed.
    pub value: Val,
    /// The builder call, when the value is one.
    pub call: Option<BuilderCall>,
    /// `mapAttrs`, `genAttrs`... when a generator made it.
    pub generator: Option<String>,
    /// Why its builder could not be found, when it could not.
    pub unknown: Option<Unknown>,
}

/// A module-list item followed to what it is.
#[derive(Debug, Clone)]
pub struct ModuleItem {
    /// The item as written in its list.
    pub written: Val,
    /// What it names.
    pub module: Module,
    /// Why it could not be followed, when it is opaque because of that
    /// (rather than coming from an input).
    pub unknown: Option<Unknown>,
}

/// Per-element generators of attribute sets: (function name, which argument
/// is the function, which is the collection).
const GENERATORS: &[&str] = &["mapAttrs", "genAttrs", "listToAttrs", "mapAttrs'"];

/// Per-system output generators (flake-utils and friends).
const PER_SYSTEM: &[&str] = &["eachDefaultSystem", "eachSystem", "eachDefaultSystemMap"];

impl Flake {
    /// Every output definition, followed through imports, flake-parts and
    /// per-system generators.
    pub fn outputs_model(&self) -> OutputsModel {
        let mut model = OutputsModel::default();
        let Some(outputs) = &self.outputs else {
            return model;
        };
        let Some(body) = outputs.lambda.children().last() else {
            return model;
        };
        let w = self.resolve(&self.val(body));
        self.collect_outputs(w, &Origin::Attr, &mut model, 0);
        model
    }

    fn collect_outputs(&self, w: Whnf, origin: &Origin, model: &mut OutputsModel, depth: usize) {
        if depth > 16 {
            return;
        }
        match &w {
            Whnf::Attrs(parts) => {
                for part in parts {
                    match part {
                        Part::Set { .. } => match self.entries(&Whnf::Attrs(vec![part.clone()])) {
                            Ok(entries) => {
                                for entry in entries {
                                    match entry.key.name() {
                                        Some(name) => model.sources.push(OutputSource {
                                            name: name.to_string(),
                                            entry,
                                            origin: origin.clone(),
                                        }),
                                        None => model.unknowns.push(Unknown {
                                            file: entry.entry.file,
                                            range: entry.entry.node.text_range(),
                                            why: "an output with a dynamic name".into(),
                                        }),
                                    }
                                }
                            }
                            Err(u) => model.unknowns.push(u),
                        },
                        Part::Opaque(inner) => {
                            self.collect_outputs((**inner).clone(), origin, model, depth + 1)
                        }
                    }
                }
            }
            Whnf::Call {
                call,
                function,
                args,
            } => {
                if function.is_function("mkFlake") && args.len() == 2 {
                    model.flake_parts = true;
                    self.collect_flake_parts(&args[1], model, depth + 1);
                } else if PER_SYSTEM.iter().any(|g| function.is_function(g)) {
                    let Some(f) = args.last() else { return };
                    let origin = Origin::PerSystem {
                        function: function.last().unwrap_or_default().to_string(),
                        file: call.file,
                        range: call.node.text_range(),
                    };
                    let w =
                        self.call_with(f, vec![Arg::Opaque("each system".into())], &mut Vec::new());
                    self.collect_outputs(w, &origin, model, depth + 1);
                } else {
                    model.unknowns.push(Unknown {
                        file: call.file,
                        range: call.node.text_range(),
                        why: format!(
                            "outputs produced by `{}`",
                            crate::flake::eval::one_line(&call.node)
                        ),
                    });
                }
            }
            Whnf::Unknown(u) => model.unknowns.push(u.clone()),
            _ => {}
        }
    }

    /// A flake-parts module (the second argument of `mkFlake`, or a file in
    /// its `imports`): its `flake.<name>` definitions.
    fn collect_flake_parts(&self, module: &Val, model: &mut OutputsModel, depth: usize) {
        if depth > 16 {
            return;
        }
        let mut w = self.resolve(module);
        if let Whnf::Lambda(l) = &w {
            w = self.call_with(&l.clone(), vec![Arg::ModuleArgs], &mut Vec::new());
        }
        if let Some(flake) = self.get(&w, "flake") {
            self.collect_outputs(flake, &Origin::FlakeParts, model, depth + 1);
        }
        match self.get(&w, "imports") {
            Some(Whnf::List(items)) => {
                for item in items {
                    let target = self.resolve(&item);
                    match target {
                        Whnf::Path(p) => {
                            match self.path_value(&p).map(|path| self.load_file(&path)) {
                                Some(Ok(id)) => {
                                    if let Some(node) = self.src(id).file().root.first_child() {
                                        self.collect_flake_parts(
                                            &Val {
                                                file: id,
                                                node,
                                                env: Default::default(),
                                            },
                                            model,
                                            depth + 1,
                                        );
                                    }
                                }
                                Some(Err(why)) => model.unknowns.push(Unknown {
                                    file: p.file,
                                    range: p.node.text_range(),
                                    why,
                                }),
                                None => model.unknowns.push(Unknown {
                                    file: p.file,
                                    range: p.node.text_range(),
                                    why: "a flake-parts module path not known statically".into(),
                                }),
                            }
                        }
                        Whnf::External(_) => {} // a module from an input (e.g. a flake-parts plugin)
                        Whnf::Attrs(_) | Whnf::Lambda(_) => {
                            self.collect_flake_parts(&item, model, depth + 1)
                        }
                        Whnf::Unknown(u) => model.unknowns.push(u),
                        _ => model.unknowns.push(Unknown {
                            file: item.file,
                            range: item.node.text_range(),
                            why: "a flake-parts module not known statically".into(),
                        }),
                    }
                }
            }
            Some(Whnf::Unknown(u)) => model.unknowns.push(u),
            _ => {}
        }
    }

    /// Every entry of the configuration outputs, wherever it is defined.
    pub fn configurations(&self) -> Vec<Configuration> {
        let model = self.outputs_model();
        let mut out = Vec::new();
        for (output, builder) in BUILDERS {
            for source in model.sources.iter().filter(|s| &s.name == output) {
                let w = self.resolve_lookup(&source.entry.value, &mut Vec::new());
                self.configurations_in(output, builder, &source.entry, w, &mut out);
            }
        }
        out
    }

    fn configurations_in(
        &self,
        output: &str,
        builder: &'static str,
        def: &Entry,
        w: Whnf,
        out: &mut Vec<Configuration>,
    ) {
        match &w {
            // `mapAttrs mkHost hosts // { c = ...; }`: each operand on its
            // own, a later one's entry replacing an earlier one's of the
            // same name, as `//` does.
            Whnf::Attrs(parts)
                if parts.len() > 1 && parts.iter().any(|p| matches!(p, Part::Opaque(_))) =>
            {
                let mut found: Vec<Configuration> = Vec::new();
                for part in parts {
                    let mut here = Vec::new();
                    let w = match part {
                        Part::Set { .. } => Whnf::Attrs(vec![part.clone()]),
                        Part::Opaque(inner) => (**inner).clone(),
                    };
                    self.configurations_in(output, builder, def, w, &mut here);
                    for c in &here {
                        if let Some(n) = &c.name {
                            found.retain(|o| o.name.as_ref() != Some(n));
                        }
                    }
                    found.extend(here);
                }
                out.extend(found);
            }
            Whnf::Attrs(_) => {
                let entries = match self.entries(&w) {
                    Ok(e) => e,
                    Err(u) => {
                        out.push(self.unknown_configuration(output, def, u));
                        return;
                    }
                };
                for e in entries {
                    let value = match &e.value {
                        Lookup::Val(v) => v.clone(),
                        _ => e.entry.clone(),
                    };
                    let mut hops = Vec::new();
                    let resolved = self.resolve_lookup(&e.value, &mut hops);
                    let site = match &e.value {
                        Lookup::Val(v) => Some(v.clone()),
                        _ => None,
                    };
                    let (call, unknown) = self.builder_of(resolved, builder, hops, site.as_ref());
                    out.push(Configuration {
                        output: output.to_string(),
                        name: e.key.name().map(str::to_string),
                        file: e.entry.file,
                        entry: e.entry.node.clone(),
                        value,
                        call,
                        generator: None,
                        unknown,
                    });
                }
            }
            Whnf::Call {
                call,
                function,
                args,
            } if GENERATORS.iter().any(|g| function.is_function(g)) => {
                self.generated(output, builder, call, function, args, out);
            }
            Whnf::Unknown(u) => out.push(self.unknown_configuration(output, def, u.clone())),
            _ => out.push(self.unknown_configuration(
                output,
                def,
                Unknown {
                    file: def.entry.file,
                    range: def.entry.node.text_range(),
                    why: format!("`{output}` is not an attribute set the model can follow"),
                },
            )),
        }
    }

    fn unknown_configuration(&self, output: &str, def: &Entry, u: Unknown) -> Configuration {
        Configuration {
            output: output.to_string(),
            name: None,
            file: def.entry.file,
            entry: def.entry.node.clone(),
            value: def.entry.clone(),
            call: None,
            generator: None,
            unknown: Some(u),
        }
    }

    /// Configurations made by `mapAttrs f set`, `genAttrs names f` or
    /// `listToAttrs (map f list)`.
    fn generated(
        &self,
        output: &str,
        builder: &'static str,
        call: &Val,
        function: &External,
        args: &[Val],
        out: &mut Vec<Configuration>,
    ) {
        let name = function.last().unwrap_or_default().to_string();
        let unknown = |why: String| Unknown {
            file: call.file,
            range: call.node.text_range(),
            why,
        };
        // The per-element function is the helper, when it is named.
        let f_site = match args {
            [f, _] if name == "mapAttrs" => Some(f.clone()),
            [_, f] if name == "genAttrs" => Some(f.clone()),
            _ => None,
        };
        let mut push = |conf_name: Option<String>, resolved: Whnf, hops: Vec<Hop>| {
            let (c, u) = self.builder_of(resolved, builder, hops, f_site.as_ref());
            out.push(Configuration {
                output: output.to_string(),
                name: conf_name,
                file: call.file,
                entry: call.node.clone(),
                value: call.clone(),
                call: c,
                generator: Some(name.clone()),
                unknown: u,
            });
        };
        match (name.as_str(), args) {
            ("mapAttrs", [f, set]) => {
                let set_w = self.resolve(set);
                match self.entries(&set_w) {
                    Ok(entries) => {
                        for e in entries {
                            let Some(key) = e.key.name().map(str::to_string) else {
                                push(
                                    None,
                                    Whnf::Unknown(unknown(
                                        "a generated name not known statically".into(),
                                    )),
                                    Vec::new(),
                                );
                                continue;
                            };
                            let value = match &e.value {
                                Lookup::Val(v) => Arg::Val(v.clone()),
                                _ => Arg::Opaque("a value computed at evaluation time".into()),
                            };
                            let mut hops = Vec::new();
                            let w =
                                self.call_with(f, vec![Arg::Str(key.clone()), value], &mut hops);
                            push(Some(key), w, hops);
                        }
                    }
                    Err(u) => push(None, Whnf::Unknown(u), Vec::new()),
                }
            }
            ("genAttrs", [names, f]) => match self.resolve(names) {
                Whnf::List(items) => {
                    for item in items {
                        match self.resolve(&item) {
                            Whnf::Str(key) => {
                                let mut hops = Vec::new();
                                let w = self.call_with(f, vec![Arg::Str(key.clone())], &mut hops);
                                push(Some(key), w, hops);
                            }
                            other => push(
                                None,
                                Whnf::Unknown(other.as_unknown().cloned().unwrap_or_else(|| {
                                    unknown("a generated name not known statically".into())
                                })),
                                Vec::new(),
                            ),
                        }
                    }
                }
                other => push(
                    None,
                    Whnf::Unknown(other.as_unknown().cloned().unwrap_or_else(|| {
                        unknown(format!(
                            "the names given to `{name}` are not known statically"
                        ))
                    })),
                    Vec::new(),
                ),
            },
            ("listToAttrs", [list]) => {
                // `listToAttrs (map f items)`: each `f item` is `{ name = ...; value = ...; }`.
                let inner = self.resolve(list);
                let Whnf::Call {
                    function: map,
                    args: map_args,
                    ..
                } = &inner
                else {
                    push(
                        None,
                        Whnf::Unknown(unknown("a generated list not known statically".into())),
                        Vec::new(),
                    );
                    return;
                };
                let (true, [f, items]) = (map.is_function("map"), map_args.as_slice()) else {
                    push(
                        None,
                        Whnf::Unknown(unknown("a generated list not known statically".into())),
                        Vec::new(),
                    );
                    return;
                };
                match self.resolve(items) {
                    Whnf::List(items) => {
                        for item in items {
                            let mut hops = Vec::new();
                            let pair = self.call_with(f, vec![Arg::Val(item)], &mut hops);
                            let key = match self.get(&pair, "name") {
                                Some(Whnf::Str(s)) => Some(s),
                                _ => None,
                            };
                            let value = self.get(&pair, "value").unwrap_or_else(|| {
                                Whnf::Unknown(unknown("no `value` in a generated pair".into()))
                            });
                            push(key, value, hops);
                        }
                    }
                    other => push(
                        None,
                        Whnf::Unknown(other.as_unknown().cloned().unwrap_or_else(|| {
                            unknown("a generated list not known statically (readDir?)".into())
                        })),
                        Vec::new(),
                    ),
                }
            }
            _ => push(
                None,
                Whnf::Unknown(unknown(format!("configurations generated by `{name}`"))),
                Vec::new(),
            ),
        }
    }

    /// The builder call a configuration's value reaches, or why not.
    fn builder_of(
        &self,
        w: Whnf,
        builder: &'static str,
        hops: Vec<Hop>,
        site: Option<&Val>,
    ) -> (Option<BuilderCall>, Option<Unknown>) {
        match w {
            Whnf::Call {
                call,
                function,
                args,
            } if function.is_function(builder) => {
                let Some(arg) = args.last().cloned() else {
                    return (None, None);
                };
                // The helper is the function the configuration's own
                // expression calls (`mkSystem { ... }`, `self.lib.mkSystem`,
                // the `f` of `mapAttrs f hosts`); functions entered to get
                // there (an `import`, a partial application) are not it.
                let same = |h: &&Hop| {
                    site.is_some_and(|s| {
                        h.call.file == s.file
                            && peel(&h.call.node).text_range() == peel(&s.node).text_range()
                    })
                };
                let via = match hops.iter().rev().find(|h| same(h) && h.name.is_some()) {
                    Some(h) => Via::Helper {
                        binder: self.defining_binder(&call_head(&h.call)),
                        lambda: (h.lambda.file, h.lambda.node.text_range()),
                        name: h.name.clone().unwrap_or_default(),
                    },
                    None => Via::Direct(
                        unparen(call.node.first_child().unwrap_or(call.node.clone()))
                            .text()
                            .to_string(),
                    ),
                };
                (
                    Some(BuilderCall {
                        call,
                        builder,
                        arg,
                        via,
                        hops,
                    }),
                    None,
                )
            }
            Whnf::Unknown(u) => (None, Some(u)),
            _ => (None, None),
        }
    }

    /// The module-list items a builder call passes (its `modules`), each
    /// followed through helper arguments, `let` bindings and `++`.
    pub fn module_items(&self, call: &BuilderCall) -> Vec<ModuleItem> {
        self.module_list_items(&call.arg)
    }

    /// The `modules` of a call's argument (`{ modules = [ ... ]; ... }`),
    /// followed.
    pub fn module_list_items(&self, arg: &Val) -> Vec<ModuleItem> {
        let resolved = self.resolve(arg);
        let mut out = Vec::new();
        match self.get(&resolved, "modules") {
            None => {}
            Some(list) => self.items_of(list, arg, &mut out),
        }
        out
    }

    /// Calls in the program files loaded so far that pass a module list to
    /// a function from an input or library other than a configuration
    /// builder (`nixos-generators.nixosGenerate { modules = [ ... ]; }`):
    /// (the call, its argument).
    pub fn other_module_calls(&self) -> Vec<(Val, Val)> {
        let mut out = Vec::new();
        for file in self.program_files() {
            let src = self.src(file);
            for app in src
                .file()
                .root
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::NODE_APPLY)
            {
                let Some(arg) = app.children().nth(1).map(unparen) else {
                    continue;
                };
                if arg.kind() != SyntaxKind::NODE_ATTR_SET
                    || crate::syntax::entry_values(&arg, "modules").is_empty()
                {
                    continue;
                }
                let head = call_head(&Val {
                    file,
                    node: app.clone(),
                    env: Default::default(),
                });
                let is_builder = BUILDERS
                    .iter()
                    .any(|(_, b)| head.node.text().to_string().rsplit('.').next() == Some(b));
                if is_builder || head.node.kind() != SyntaxKind::NODE_SELECT {
                    continue;
                }
                out.push((
                    Val {
                        file,
                        node: app.clone(),
                        env: Default::default(),
                    },
                    Val {
                        file,
                        node: arg,
                        env: Default::default(),
                    },
                ));
            }
        }
        out
    }

    fn items_of(&self, list: Whnf, at: &Val, out: &mut Vec<ModuleItem>) {
        match list {
            Whnf::List(items) => {
                for item in items {
                    out.push(self.module_item(&item));
                }
            }
            Whnf::Unknown(u) => out.push(ModuleItem {
                written: at.clone(),
                module: Module::Opaque {
                    location: self.location_of_unknown(&u),
                    text: u.why.clone(),
                },
                unknown: Some(u),
            }),
            _ => {
                let u = Unknown {
                    file: at.file,
                    range: at.node.text_range(),
                    why: "a module list not known statically".into(),
                };
                out.push(ModuleItem {
                    written: at.clone(),
                    module: Module::Opaque {
                        location: self.location_of_unknown(&u),
                        text: u.why.clone(),
                    },
                    unknown: Some(u),
                })
            }
        }
    }

    /// What one module-list item names.
    pub fn module_item(&self, item: &Val) -> ModuleItem {
        let opaque = |v: &Val, u: Option<Unknown>| {
            let text = crate::flake::eval::one_line(&v.node);
            ModuleItem {
                written: item.clone(),
                module: Module::Opaque {
                    location: self.location_of(v),
                    text,
                },
                unknown: u,
            }
        };
        let path_module = |p: &Val| match self.path_value(p) {
            Some(path) => ModuleItem {
                written: item.clone(),
                module: Module::File(path),
                unknown: None,
            },
            None => {
                let u = Unknown {
                    file: p.file,
                    range: p.node.text_range(),
                    why: "a path not known statically".into(),
                };
                opaque(p, Some(u))
            }
        };
        // `import ./x.nix` names the file as a module.
        let node = unparen(item.node.clone());
        if node.kind() == SyntaxKind::NODE_APPLY {
            let f = node.first_child().map(unparen);
            if f.as_ref()
                .is_some_and(|f| f.kind() == SyntaxKind::NODE_IDENT && f.text() == "import")
                && node.children().count() == 2
            {
                if let Some(arg) = node.children().nth(1) {
                    let target = self.resolve(&Val {
                        file: item.file,
                        node: arg,
                        env: item.env.clone(),
                    });
                    if let Whnf::Path(p) = target {
                        return path_module(&p);
                    }
                }
            }
        }
        match node.kind() {
            SyntaxKind::NODE_ATTR_SET | SyntaxKind::NODE_LAMBDA => {
                return ModuleItem {
                    written: item.clone(),
                    module: Module::Inline {
                        file: self.src(item.file).path().to_path_buf(),
                        node,
                    },
                    unknown: None,
                }
            }
            SyntaxKind::NODE_PATH_REL => {
                return path_module(&Val {
                    node,
                    ..item.clone()
                })
            }
            _ => {}
        }
        match self.resolve(item) {
            Whnf::Path(p) if p.node.kind() == SyntaxKind::NODE_PATH_REL => path_module(&p),
            Whnf::Attrs(parts) => match parts.first() {
                Some(Part::Set { set, prefix }) if prefix.is_empty() && parts.len() == 1 => {
                    ModuleItem {
                        written: item.clone(),
                        module: Module::Inline {
                            file: self.src(set.file).path().to_path_buf(),
                            node: set.node.clone(),
                        },
                        unknown: None,
                    }
                }
                _ => opaque(item, None),
            },
            Whnf::Lambda(l) => ModuleItem {
                written: item.clone(),
                module: Module::Inline {
                    file: self.src(l.file).path().to_path_buf(),
                    node: l.node.clone(),
                },
                unknown: None,
            },
            // A module an input provides (`inputs.x.nixosModules.y`).
            Whnf::External(_) => opaque(item, None),
            Whnf::Call { function, .. }
                if matches!(function.root, Root::Input(_) | Root::Inputs) =>
            {
                opaque(item, None)
            }
            Whnf::Unknown(u) => {
                let mut m = opaque(item, None);
                m.unknown = Some(u);
                m
            }
            _ => {
                let u = Unknown {
                    file: item.file,
                    range: item.node.text_range(),
                    why: "a module computed at evaluation time".into(),
                };
                opaque(item, Some(u))
            }
        }
    }

    /// The repository-relative path of program file `id`.
    pub fn path_of(&self, id: FileId) -> PathBuf {
        self.src(id).path().to_path_buf()
    }
}

/// An expression without the parentheses, `with`, `let` and `assert`
/// around it.
fn peel(node: &SyntaxNode) -> SyntaxNode {
    let mut n = unparen(node.clone());
    while matches!(
        n.kind(),
        SyntaxKind::NODE_WITH | SyntaxKind::NODE_LET_IN | SyntaxKind::NODE_ASSERT
    ) {
        match n.children().last() {
            Some(body) => n = unparen(body),
            None => break,
        }
    }
    n
}

/// The function expression of a call (`f a b` -> `f`), or the value itself.
fn call_head(v: &Val) -> Val {
    let mut node = unparen(v.node.clone());
    while node.kind() == SyntaxKind::NODE_APPLY {
        match node.first_child() {
            Some(f) => node = unparen(f),
            None => break,
        }
    }
    Val { node, ..v.clone() }
}

/// A function that builds a configuration: its body calls a builder (or
/// another helper), whatever it is called.
#[derive(Debug, Clone)]
pub struct Helper {
    /// The file and `let`/`rec` binder it is bound to.
    pub file: FileId,
    pub binder: usize,
    pub name: String,
    /// Its function, as defined.
    pub lambda: Val,
    pub builder: &'static str,
    /// The builder calls its body makes, its parameters unknown.
    pub calls: Vec<BuilderCall>,
}

impl Flake {
    /// Every helper bound by `let` or `rec` in a program file loaded so far
    /// (flake.nix, and the files its outputs import): a binding whose value
    /// is a function, or a partial application of one, that builds a
    /// configuration when called. Matched on what it does, not on its name.
    pub fn builder_helpers(&self) -> Vec<Helper> {
        let mut out = Vec::new();
        for file in self.program_files() {
            let src = self.src(file);
            for (i, b) in src.scope().binders.iter().enumerate() {
                if !matches!(
                    b.kind,
                    crate::scope::BinderKind::Let | crate::scope::BinderKind::Rec
                ) {
                    continue;
                }
                let Some(value) = b.entries.first().and_then(crate::syntax::attr_value) else {
                    continue;
                };
                let v = Val {
                    file,
                    node: value,
                    env: Default::default(),
                };
                let Whnf::Lambda(lambda) = self.resolve(&v) else {
                    continue;
                };
                // Call it with unknown arguments until it is no longer a function.
                let mut hops = Vec::new();
                let mut w = Whnf::Lambda(lambda.clone());
                let mut arity = 0;
                while let Whnf::Lambda(l) = &w {
                    if arity > 8 {
                        break;
                    }
                    arity += 1;
                    w = self.call_with(
                        &l.clone(),
                        vec![Arg::Opaque(format!(
                            "an argument of `{}`, not called here",
                            b.name
                        ))],
                        &mut hops,
                    );
                }
                for (_, builder) in BUILDERS {
                    let mut calls = Vec::new();
                    self.builder_calls_in(&w, builder, &hops, &mut calls);
                    if !calls.is_empty() {
                        out.push(Helper {
                            file,
                            binder: i,
                            name: b.name.clone(),
                            lambda: lambda.clone(),
                            builder,
                            calls,
                        });
                    }
                }
            }
        }
        out
    }

    /// Builder calls in a helper's result: the result itself, or the values
    /// of an attribute set it returns (`{ system = ...; home = ...; }`).
    fn builder_calls_in(
        &self,
        w: &Whnf,
        builder: &'static str,
        hops: &[Hop],
        out: &mut Vec<BuilderCall>,
    ) {
        match self.builder_of(w.clone(), builder, hops.to_vec(), None) {
            (Some(call), _) => out.push(call),
            // The builder comes from an argument (`pkgsInput.lib.nixosSystem`):
            // recognise the call by what it selects.
            (None, Some(_)) => {
                let Some(last) = hops.last() else { return };
                let Some(body) = last.lambda.node.children().last() else {
                    return;
                };
                for app in std::iter::once(body.clone())
                    .chain(body.descendants())
                    .filter(|n| n.kind() == SyntaxKind::NODE_APPLY)
                {
                    let head = call_head(&Val {
                        file: last.lambda.file,
                        node: app.clone(),
                        env: Default::default(),
                    });
                    let names_builder = head.node.kind() == SyntaxKind::NODE_SELECT
                        && head
                            .node
                            .children()
                            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                            .and_then(|p| p.children().last())
                            .and_then(|a| crate::syntax::static_attr_name(&a))
                            .as_deref()
                            == Some(builder);
                    let is_outer = app.parent().is_none_or(|p| {
                        p.kind() != SyntaxKind::NODE_APPLY || p.first_child().as_ref() != Some(&app)
                    });
                    if names_builder && is_outer {
                        let Some(arg) = app.children().nth(1) else {
                            continue;
                        };
                        out.push(BuilderCall {
                            call: Val {
                                file: last.lambda.file,
                                node: app.clone(),
                                env: Default::default(),
                            },
                            builder,
                            arg: Val {
                                file: last.lambda.file,
                                node: arg,
                                env: Default::default(),
                            },
                            via: Via::Direct(head.node.text().to_string()),
                            hops: hops.to_vec(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::workspace::Workspace;

    /// Load a flake from (path, text) files.
    fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Flake) {
        let dir = tempfile::tempdir().unwrap();
        for (p, c) in files {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        }
        let flake = Flake::load(&Workspace::new(dir.path()), Path::new("flake.nix")).unwrap();
        (dir, flake)
    }

    /// `output.name via file` for every configuration.
    fn summary(f: &Flake) -> Vec<String> {
        f.configurations()
            .iter()
            .map(|c| {
                let via = match c.call.as_ref().map(|k| &k.via) {
                    Some(Via::Direct(t)) => format!("direct {t}"),
                    Some(Via::Helper { name, .. }) => format!("helper {name}"),
                    None => format!(
                        "unknown: {}",
                        c.unknown.as_ref().map(|u| u.why.as_str()).unwrap_or("-")
                    ),
                };
                format!(
                    "{}.{} {via} in {}",
                    c.output,
                    c.name.clone().unwrap_or_else(|| "?".into()),
                    f.path_of(c.file).display()
                )
            })
            .collect()
    }

    fn modules_of(f: &Flake, name: &str) -> Vec<String> {
        let confs = f.configurations();
        let c = confs
            .iter()
            .find(|c| c.name.as_deref() == Some(name))
            .unwrap();
        f.module_items(c.call.as_ref().unwrap())
            .iter()
            .map(|m| match &m.module {
                Module::File(p) => p.display().to_string(),
                Module::Inline { file, .. } => format!("inline in {}", file.display()),
                Module::Opaque { text, .. } => format!("opaque {text}"),
            })
            .collect()
    }

    #[test]
    fn a_module_passed_to_a_helper_is_known_at_each_call() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, home-manager, ... }:
    let
      mkHome = modulePath: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ modulePath ./home/common.nix ];
      };
    in {
      homeConfigurations.alice = mkHome ./home-alice.nix;
      homeConfigurations.bob = mkHome ./users/bob;
    };
}"#,
        )]);
        assert_eq!(
            modules_of(&f, "alice"),
            ["home-alice.nix", "home/common.nix"]
        );
        assert_eq!(modules_of(&f, "bob"), ["users/bob", "home/common.nix"]);
    }

    #[test]
    fn a_split_flake_is_followed_into_its_files() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                r#"{
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkSystem = { hostname, modules ? [ ] }: nixpkgs.lib.nixosSystem {
        modules = [ ./machines/${hostname}.nix ] ++ modules;
      };
    in {
      nixosConfigurations = import ./hosts { inherit inputs mkSystem; };
    };
}"#,
            ),
            (
                "hosts/default.nix",
                r#"{ inputs, mkSystem, ... }:
{
  owl = mkSystem { hostname = "owl"; modules = [ ./owl-extra.nix ]; };
  wren = inputs.nixpkgs.lib.nixosSystem { modules = [ ../machines/wren.nix ]; };
}"#,
            ),
        ]);
        assert_eq!(
            summary(&f),
            [
                "nixosConfigurations.owl helper mkSystem in hosts/default.nix",
                "nixosConfigurations.wren direct inputs.nixpkgs.lib.nixosSystem in hosts/default.nix",
            ]
        );
        assert_eq!(
            modules_of(&f, "owl"),
            ["machines/owl.nix", "hosts/owl-extra.nix"]
        );
        let helpers: Vec<_> = f.builder_helpers().iter().map(|h| h.name.clone()).collect();
        assert_eq!(helpers, ["mkSystem"]);
    }

    #[test]
    fn delegated_outputs_are_followed() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                "{ outputs = inputs: import ./outputs inputs; }",
            ),
            (
                "outputs/default.nix",
                r#"{ self, nixpkgs, ... }: {
  nixosConfigurations.kite = nixpkgs.lib.nixosSystem { modules = [ ../kite.nix ]; };
}"#,
            ),
        ]);
        assert_eq!(
            summary(&f),
            ["nixosConfigurations.kite direct nixpkgs.lib.nixosSystem in outputs/default.nix"]
        );
        assert_eq!(modules_of(&f, "kite"), ["kite.nix"]);
    }

    #[test]
    fn hosts_through_map_attrs_of_a_helper() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      mkHost = name: cfg: lib.nixosSystem {
        inherit (cfg) system;
        modules = [ ./hosts/${name}.nix ] ++ cfg.extra;
      };
      hostConfigs = {
        heron = { system = "x86_64-linux"; extra = [ ]; };
        "ibis.lan" = { system = "aarch64-linux"; extra = [ ./pi.nix ]; };
      };
    in {
      nixosConfigurations = lib.mapAttrs mkHost hostConfigs;
    };
}"#,
        )]);
        assert_eq!(
            summary(&f),
            [
                "nixosConfigurations.heron helper mkHost in flake.nix",
                "nixosConfigurations.ibis.lan helper mkHost in flake.nix",
            ]
        );
        assert_eq!(modules_of(&f, "ibis.lan"), ["hosts/ibis.lan.nix", "pi.nix"]);
    }

    #[test]
    fn gen_attrs_and_list_to_attrs_generate_named_hosts() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, ... }:
    let
      names = [ "a" "b" ];
      mk = n: nixpkgs.lib.nixosSystem { modules = [ ./${n}.nix ]; };
    in {
      nixosConfigurations = nixpkgs.lib.genAttrs names mk;
      darwinConfigurations = builtins.listToAttrs (map (n: { name = "mac-${n}"; value = inputs.darwin.lib.darwinSystem { modules = [ ./mac.nix ]; }; }) [ "x" ]);
    };
}"#,
        )]);
        assert_eq!(
            summary(&f),
            [
                "nixosConfigurations.a helper mk in flake.nix",
                "nixosConfigurations.b helper mk in flake.nix",
                "darwinConfigurations.mac-x direct inputs.darwin.lib.darwinSystem in flake.nix",
            ]
        );
    }

    #[test]
    fn a_helper_in_lib_exported_through_self_lib() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                r#"{
  outputs = { self, nixpkgs, ... }@inputs: {
    lib = import ./lib { inherit inputs; };
    nixosConfigurations.plover = self.lib.mkSystem { name = "plover"; };
  };
}"#,
            ),
            (
                "lib/default.nix",
                r#"{ inputs }:
{
  mkSystem = { name }: inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/${name} ];
  };
}"#,
            ),
        ]);
        assert_eq!(
            summary(&f),
            ["nixosConfigurations.plover helper self.lib.mkSystem in flake.nix"]
        );
        assert_eq!(modules_of(&f, "plover"), ["hosts/plover"]);
    }

    #[test]
    fn a_lib_file_name_is_followed_to_the_binder_flake_nix_passes() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                r#"{
  outputs = { self, nixpkgs, ... }@inputs:
    let
      lib = import ./lib { inherit inputs; pkgs = nixpkgs; other = inputs.nixpkgs; };
    in {
    inherit lib;
    nixosConfigurations.plover = lib.mkSystem { name = "plover"; };
    nixosConfigurations.shadow = let inputs = { }; in inputs;
  };
}"#,
            ),
            (
                "lib/default.nix",
                r#"{ inputs, pkgs, other }:
let
  common = [ ];
in
{
  mkSystem = { name }: inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/${name} ] ++ common ++ [ pkgs other ];
  };
}"#,
            ),
        ]);
        let confs = f.configurations();
        let plover = confs
            .iter()
            .find(|c| c.name.as_deref() == Some("plover"))
            .unwrap();
        let at = &plover.call.as_ref().unwrap().call;
        let flake_nix = plover.file;
        assert_ne!(at.file, flake_nix);
        let src = f.src(flake_nix);
        let scope = src.scope();
        let host = plover.value.node.text_range().start();
        // `inputs` and `pkgs` are flake.nix's `inputs` and `nixpkgs`.
        assert_eq!(
            f.binder_across(at, "inputs", flake_nix),
            scope.resolve_at("inputs", host)
        );
        assert!(scope.resolve_at("inputs", host).is_some());
        assert_eq!(
            f.binder_across(at, "pkgs", flake_nix),
            scope.resolve_at("nixpkgs", host)
        );
        // Passed as a selection, bound by the lib file's `let`, or a
        // parameter of the helper itself: not followed.
        assert_eq!(f.binder_across(at, "other", flake_nix), None);
        assert_eq!(f.binder_across(at, "common", flake_nix), None);
        assert_eq!(f.binder_across(at, "name", flake_nix), None);
        // Where flake.nix binds `inputs` anew, the host's `inputs` is another.
        let shadow = confs
            .iter()
            .find(|c| c.name.as_deref() == Some("shadow"))
            .unwrap();
        assert_ne!(
            f.binder_across(at, "inputs", flake_nix),
            scope.resolve_at("inputs", shadow.value.node.text_range().start())
        );
    }

    #[test]
    fn a_file_reached_several_ways_is_parsed_once() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                r#"{
  outputs = { self, nixpkgs, ... }@inputs:
    let
      lib = import ./lib { inherit inputs; };
      again = import ./lib/default.nix { inherit inputs; };
    in {
      nixosConfigurations.a = lib.mkSystem "a";
      nixosConfigurations.b = again.mkSystem "b";
      nixosConfigurations.c = (import ./lib { inherit inputs; }).mkSystem "c";
    };
}"#,
            ),
            (
                "lib/default.nix",
                "{ inputs }: { mkSystem = name: inputs.nixpkgs.lib.nixosSystem { modules = [ ../${name}.nix ]; }; }",
            ),
        ]);
        assert_eq!(f.configurations().len(), 3);
        let files: Vec<_> = f.program_files().iter().map(|&i| f.path_of(i)).collect();
        assert_eq!(
            files,
            [Path::new("flake.nix"), Path::new("lib/default.nix")]
        );
        assert_eq!(f.parsed_program_files().len(), 1);
    }

    #[test]
    fn a_partially_applied_helper() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }:
    let
      nixosConfigWith = pkgsInput: { host, extra ? [ ] }: pkgsInput.lib.nixosSystem {
        modules = [ ./hosts/${host}.nix ] ++ extra;
      };
      nixosConfig = nixosConfigWith nixpkgs;
    in {
      nixosConfigurations.tern = nixosConfig { host = "tern"; };
      nixosConfigurations.skua = nixosConfigWith nixpkgs-unstable { host = "skua"; extra = [ ./edge.nix ]; };
    };
}"#,
        )]);
        assert_eq!(
            summary(&f),
            [
                "nixosConfigurations.tern helper nixosConfig in flake.nix",
                "nixosConfigurations.skua helper nixosConfigWith in flake.nix",
            ]
        );
        assert_eq!(modules_of(&f, "skua"), ["hosts/skua.nix", "edge.nix"]);
        let helpers: Vec<_> = f.builder_helpers().iter().map(|h| h.name.clone()).collect();
        assert_eq!(helpers, ["nixosConfigWith", "nixosConfig"]);
    }

    #[test]
    fn flake_parts_hosts_inline_and_in_imported_modules() {
        let (_d, f) = load(&[
            (
                "flake.nix",
                r#"{
  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      imports = [ ./parts/hosts.nix inputs.treefmt.flakeModule ];
      flake.nixosConfigurations.quarry = nixpkgs.lib.nixosSystem { modules = [ ./quarry.nix ]; };
      perSystem = { pkgs, ... }: { packages.default = pkgs.hello; };
    };
}"#,
            ),
            (
                "parts/hosts.nix",
                r#"{ inputs, self, ... }: {
  flake.nixosConfigurations.slate = inputs.nixpkgs.lib.nixosSystem { modules = [ ../slate.nix ]; };
}"#,
            ),
        ]);
        let model = f.outputs_model();
        assert!(model.flake_parts);
        assert!(model.unknowns.is_empty(), "{:?}", model.unknowns);
        assert_eq!(
            summary(&f),
            [
                "nixosConfigurations.quarry direct nixpkgs.lib.nixosSystem in flake.nix",
                "nixosConfigurations.slate direct inputs.nixpkgs.lib.nixosSystem in parts/hosts.nix",
            ]
        );
    }

    #[test]
    fn each_default_system_outputs_are_recorded_with_their_generator() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, flake-utils, ... }:
    {
      nixosConfigurations.gull = nixpkgs.lib.nixosSystem { modules = [ ./gull.nix ]; };
    } // flake-utils.lib.eachDefaultSystem (system:
      let pkgs = nixpkgs.legacyPackages.${system}; in {
        packages.default = pkgs.hello;
        devShells.default = pkgs.mkShell { };
      });
}"#,
        )]);
        let model = f.outputs_model();
        let names: Vec<(String, bool)> = model
            .sources
            .iter()
            .map(|s| (s.name.clone(), matches!(s.origin, Origin::PerSystem { .. })))
            .collect();
        assert_eq!(
            names,
            [
                ("nixosConfigurations".to_string(), false),
                ("packages".to_string(), true),
                ("devShells".to_string(), true)
            ]
        );
    }

    #[test]
    fn dynamic_keys_resolve_or_stay_dynamic() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, ... }:
    let
      hostname = "gamma";
    in {
      nixosConfigurations.${hostname} = nixpkgs.lib.nixosSystem { modules = [ ]; };
      nixosConfigurations.delta = nixpkgs.lib.nixosSystem { modules = [ ]; };
      nixosConfigurations.${builtins.getEnv "HOST"} = nixpkgs.lib.nixosSystem { modules = [ ]; };
    };
}"#,
        )]);
        let names: Vec<Option<String>> = f.configurations().into_iter().map(|c| c.name).collect();
        assert_eq!(names, [Some("gamma".into()), Some("delta".into()), None]);
    }

    #[test]
    fn what_cannot_be_followed_is_unknown_with_a_reason() {
        let (_d, f) = load(&[(
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = builtins.mapAttrs (name: _: nixpkgs.lib.nixosSystem {
      modules = [ ./hosts/${name} ];
    }) (builtins.readDir ./hosts);
    homeConfigurations = import ./missing.nix;
  };
}"#,
        )]);
        let confs = f.configurations();
        assert_eq!(confs.len(), 2);
        assert!(confs
            .iter()
            .all(|c| c.call.is_none() && c.unknown.is_some()));
        assert!(confs[1]
            .unknown
            .as_ref()
            .unwrap()
            .why
            .contains("missing.nix does not exist"));
    }
}
