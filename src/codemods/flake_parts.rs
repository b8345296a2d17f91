//! `flake-parts`: migrate a flake to flake-parts' `mkFlake`, declaring every
//! difference flake-parts itself makes.
//!
//! See `codemods/flake-parts/README.md` for what it does, when it refuses
//! and what it may change. The recognition of per-system outputs lives in
//! [`crate::flake::persystem`].

use std::collections::BTreeSet;

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::{Applicability, Codemod, Context, Fix};
use crate::error::Error;
use crate::flake::persystem::{SystemValue, PER_SYSTEM_OUTPUTS};
use crate::flake::persystem_import::{DeadArgument, ImportedGenerator};
use crate::lock::Lock;
use crate::relocate::{attached_range, removal_range};
use crate::syntax::edit::Edit;
use crate::syntax::indent::indent_unit;
use crate::syntax::{self, line_indent, make, unparen};

pub struct FlakeParts;

const NAME: &str = "flake-parts";

/// Inputs that are frameworks of their own (by the repository their URL names).
const FRAMEWORKS: &[&str] = &[
    "flake-utils-plus",
    "adios-flake",
    "haumea",
    "snowfall-lib",
    "std",
];

/// Outputs whose values flake-parts' module system changes.
const WRAPPED: &[(&str, &str)] = &[
    (
        "nixosModules",
        "`nixosModules` values come out wrapped by the module system (`{ _class; _file; imports = [ module ]; }`)",
    ),
    (
        "overlays",
        "`overlays` come out eta-expanded (`final: prev: overlay final prev`)",
    ),
];

impl Codemod for FlakeParts {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "Migrate the flake to flake-parts (mkFlake, systems, perSystem), declaring what flake-parts changes"
    }
    fn applicability(&self) -> Applicability {
        Applicability::Unsafe
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/flake-parts/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let text = flake.file.text.as_str();
        let unit = indent_unit(text);
        let Some(outputs) = &flake.outputs else {
            return Err(cx.refuse(NAME, 0.into(), "no `outputs = ...: ...;` function found"));
        };
        let model = flake.outputs_model();
        if model.flake_parts || flake.flake_parts().is_some() {
            fix.notes.push(cx.note(
                outputs.body.text_range().start(),
                "the outputs are already made by flake-parts' `mkFlake`: nothing to do",
            ));
            return Ok(fix);
        }
        for input in &flake.inputs {
            let url = input.url.as_deref().unwrap_or_default();
            let repo = url.rsplit(['/', ':']).next().unwrap_or_default();
            let repo = repo.split(['?', '#']).next().unwrap_or_default();
            if FRAMEWORKS.contains(&repo) || FRAMEWORKS.contains(&input.name.as_str()) {
                return Err(cx.refuse(
                    NAME,
                    input.range.start(),
                    format!(
                        "the flake uses another framework (input `{}`, {url}): migrating between frameworks is not supported",
                        input.name
                    ),
                ));
            }
        }

        // The shape of the outputs: one attribute set, and at most one
        // flake-utils generator merged with `//`.
        let each = flake.each_system_operands();
        for operand in &outputs.operands {
            let known = operand.kind() == SyntaxKind::NODE_ATTR_SET
                || each.iter().any(|e| &e.call == operand);
            let import = operand.kind() == SyntaxKind::NODE_APPLY
                && operand
                    .descendants()
                    .find(|n| n.kind() == SyntaxKind::NODE_IDENT)
                    .is_some_and(|i| i.text() == "import");
            if !known && import {
                return Err(cx.refuse(
                    NAME,
                    operand.text_range().start(),
                    format!(
                        "the outputs are made in another file (`{}`): migrate a flake whose outputs are written in flake.nix",
                        crate::flake::eval::one_line(operand)
                    ),
                ));
            }
            if !known {
                return Err(cx.refuse(
                    NAME,
                    operand.text_range().start(),
                    format!(
                        "outputs produced by `{}`, which is neither an attribute set nor a flake-utils generator (another framework, a loader, or code this codemod does not migrate)",
                        crate::flake::eval::one_line(operand)
                    ),
                ));
            }
        }
        if outputs.sets.len() > 1 {
            return Err(cx.refuse(
                NAME,
                outputs.sets[1].text_range().start(),
                "the outputs merge several attribute sets with `//`; merge them first",
            ));
        }
        if each.len() > 1 {
            return Err(cx.refuse(
                NAME,
                each[1].call.text_range().start(),
                "the outputs merge several flake-utils generators",
            ));
        }
        let each = each.into_iter().next();
        let set = outputs.sets.first().cloned();

        // `rec` outputs: their names would no longer be bound. Without
        // references between them, `rec` goes (a module is a plain set).
        let mut drop_rec: Option<TextRange> = None;
        if let Some(set) = &set {
            if let Some(rec) = set
                .children_with_tokens()
                .find(|t| t.kind() == SyntaxKind::TOKEN_REC)
            {
                let brace = set
                    .children_with_tokens()
                    .find(|t| t.kind() == SyntaxKind::TOKEN_L_BRACE)
                    .map_or(rec.text_range().end(), |t| t.text_range().start());
                let between = TextRange::new(rec.text_range().start(), brace);
                if !text[between].contains('#') && !text[between].contains("/*") {
                    drop_rec = Some(between);
                }
                for b in flake
                    .scope
                    .binders
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| &b.scope == set)
                {
                    for r in flake.scope.uses_of(b.0) {
                        match rec_use_via_self(flake, outputs, set, b.1, r) {
                            Some(edit) => fix.edit(NAME, flake.path.clone(), edit)?,
                            None => {
                                return Err(cx.refuse(
                                    NAME,
                                    r.range.start(),
                                    format!(
                                        "the `rec` outputs refer to each other (`{}`): under mkFlake they would be `flake.{}`, and `self.{}` is the same value only for configurations and `lib` read from another such output; make it a `let` binding first",
                                        r.name, r.name, r.name
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
            for entry in set.children() {
                match entry.kind() {
                    SyntaxKind::NODE_INHERIT => {
                        return Err(cx.refuse(
                            NAME,
                            entry.text_range().start(),
                            "an `inherit` among the outputs: write it as `name = ...;` first",
                        ))
                    }
                    SyntaxKind::NODE_ATTRPATH_VALUE if output_name(&entry).is_none() => {
                        return Err(cx.refuse(
                            NAME,
                            entry.text_range().start(),
                            "an output with a dynamic name",
                        ))
                    }
                    _ => {}
                }
            }
        }

        // The flake-utils generator: every output it makes must be per system.
        if let Some(e) = &each {
            let keys = e.keys.clone().map_err(|why| {
                cx.refuse(
                    NAME,
                    e.call.text_range().start(),
                    format!("the outputs of the flake-utils generator are not known: {why}"),
                )
            })?;
            if let Some(k) = keys
                .iter()
                .find(|k| !PER_SYSTEM_OUTPUTS.contains(&k.as_str()))
            {
                return Err(cx.refuse(
                    NAME,
                    e.body.text_range().start(),
                    format!(
                        "the flake-utils generator puts `{k}` under each system (`{k}.<system>`), which perSystem cannot make"
                    ),
                ));
            }
            if let Some(k) = keys
                .iter()
                .find(|k| outputs.defs.iter().any(|d| &d.name == *k))
            {
                return Err(cx.refuse(
                    NAME,
                    e.call.text_range().start(),
                    format!("`{k}` is defined both in the attribute set and by the flake-utils generator"),
                ));
            }
            if let Err(why) = &e.systems {
                return Err(cx.refuse(
                    NAME,
                    e.call.text_range().start(),
                    format!("the systems of the flake-utils generator are not known: {why}"),
                ));
            }
            let v = SystemValue::Body {
                body: e.body.clone(),
                param: e.param,
            };
            if let Err(why) = flake.system_value_movable(&v, &["system"]) {
                return Err(cx.refuse(
                    NAME,
                    e.body.text_range().start(),
                    format!("the flake-utils generator's body cannot move into perSystem: {why}"),
                ));
            }
            if comments_outside(&e.call, &e.body) {
                return Err(cx.refuse(
                    NAME,
                    e.call.text_range().start(),
                    "comments around the flake-utils call would be lost",
                ));
            }
        }

        // The per-system outputs of the set, and the flake's systems.
        let per_system = flake.per_system_outputs();
        // Outputs whose generator call is written in an imported file (a
        // split flake): that file can become a flake-parts module.
        let imported_gens: Vec<Option<Result<ImportedGenerator, String>>> = per_system
            .iter()
            .map(|o| {
                if o.value.is_ok() || o.systems.is_err() {
                    return None;
                }
                flake.imported_generator(o)
            })
            .collect();
        let systems: Vec<String> = match &each {
            Some(e) => e.systems.clone().unwrap_or_default(),
            None => per_system
                .iter()
                .zip(&imported_gens)
                .filter(|(o, g)| o.value.is_ok() || matches!(g, Some(Ok(_))))
                .filter_map(|(o, _)| o.systems.as_ref().ok())
                .max_by_key(|s| s.len())
                .cloned()
                .unwrap_or_default(),
        };
        // No list known statically: one expression every recognised output
        // shares (`genAttrs (import systems)`, the `systems` input).
        let systems_expr: Option<SyntaxNode> = if each.is_none() && systems.is_empty() {
            let exprs: Vec<&SyntaxNode> = per_system
                .iter()
                .filter(|o| o.value.is_ok())
                .filter_map(|o| o.systems_expr.as_ref())
                .collect();
            exprs
                .first()
                .filter(|first| exprs.iter().all(|e| e == *first))
                .filter(|e| {
                    flake
                        .system_value_movable(
                            &SystemValue::Apply {
                                function: (**e).clone(),
                            },
                            &[],
                        )
                        .is_ok()
                })
                .map(|e| (*e).clone())
        } else {
            None
        };
        let system_set: BTreeSet<&String> = systems.iter().collect();
        let shared = flake.shared_pkgs();
        let has_nixpkgs = flake.inputs.iter().any(|i| i.name == "nixpkgs");

        // Which outputs move.
        // (output, entries deleted, (path below the output, value) to write).
        let mut moved: Vec<Moved> = Vec::new();
        let mut pkgs_first = None;
        let mut expanded: Vec<String> = Vec::new();
        let mut imported: Vec<Imported> = Vec::new();
        // Why an output on the systems `s` would gain outputs in perSystem.
        let fewer = |s: &[String]| -> Option<String> {
            let own: BTreeSet<&String> = s.iter().collect();
            (own != system_set && !(cx.options.expand_systems && own.is_subset(&system_set)))
                .then(|| {
                    format!(
                        "defined on {} of the flake's systems ({}), so perSystem would add it on the others",
                        own.len(),
                        s.join(", ")
                    )
                })
        };
        for (o, gen) in per_system.iter().zip(&imported_gens) {
            match gen {
                Some(Ok(g)) => {
                    let s = o.systems.as_ref().cloned().unwrap_or_default();
                    let own: BTreeSet<&String> = s.iter().collect();
                    let why = if let Some(why) = fewer(&s) {
                        Some(why)
                    } else {
                        lost_comment(&o.entries, std::slice::from_ref(&g.import), text).map(|c| {
                            format!(
                                "its comment `{}` is outside the code that would move",
                                c.lines().next().unwrap_or_default()
                            )
                        })
                    };
                    match why {
                        Some(why) => fix.notes.push(cx.note(
                            o.entries[0].text_range().start(),
                            format!("`{}` stays under `flake` as it is: {why}", o.name),
                        )),
                        None => {
                            for sys in systems.iter().filter(|x| !own.contains(x)) {
                                expanded.push(format!("{}.{sys}", o.name));
                            }
                            imported.push(Imported {
                                name: o.name.clone(),
                                entry: o.entries[0].clone(),
                                generator: g.clone(),
                                dead: Vec::new(),
                                pkgs_edits: Vec::new(),
                            });
                        }
                    }
                    continue;
                }
                Some(Err(why)) => {
                    let s = o.systems.as_ref().cloned().unwrap_or_default();
                    let why = fewer(&s).unwrap_or_else(|| {
                        format!("its file cannot become a flake-parts module: {why}")
                    });
                    fix.notes.push(cx.note(
                        o.entries[0].text_range().start(),
                        format!("`{}` stays under `flake` as it is: {why}", o.name),
                    ));
                    continue;
                }
                None => {}
            }
            let same_expr = systems_expr.is_some() && o.systems_expr == systems_expr;
            let reason = match (&o.value, &o.systems) {
                (Ok(v), Err(_)) if same_expr => {
                    let formals: &[&str] = match v {
                        v if v.reads_module_pkgs(flake) => &["pkgs", "system"],
                        _ => &["system"],
                    };
                    flake.system_value_movable(v, formals).err()
                }
                (Err(why), _) | (Ok(_), Err(why)) => Some(why.clone()),
                (Ok(v), Ok(s)) => {
                    let own: BTreeSet<&String> = s.iter().collect();
                    let formals: &[&str] = match v {
                        v if v.reads_module_pkgs(flake) => &["pkgs", "system"],
                        _ => &["system"],
                    };
                    if own != system_set
                        && !(cx.options.expand_systems && own.is_subset(&system_set))
                    {
                        Some(format!(
                            "defined on {} of the flake's systems ({}), so perSystem would add it on the others",
                            own.len(),
                            s.join(", ")
                        ))
                    } else if let Err(why) = flake.system_value_movable(v, formals) {
                        Some(why)
                    } else {
                        for sys in systems.iter().filter(|x| !own.contains(x)) {
                            expanded.push(format!("{}.{sys}", o.name));
                        }
                        None
                    }
                }
            };
            match reason {
                Some(why) => {
                    fix.notes.push(cx.note(
                        o.entries[0].text_range().start(),
                        format!("`{}` stays under `flake` as it is: {why}", o.name),
                    ));
                }
                None => {
                    // (A pkgs-first function that is not `pkgs: BODY` is
                    // written as an application and reads no perSystem `pkgs`.)
                    if let Ok(v @ SystemValue::PkgsFirst { pkgs, param, .. }) = &o.value {
                        let this = flake.with_system(pkgs, *param);
                        match &pkgs_first {
                            Some((_, _, other)) if *other != this => {
                                fix.notes.push(cx.note(
                                    o.entries[0].text_range().start(),
                                    format!("`{}` stays under `flake` as it is: its generator passes `{this}`, another passes `{other}`", o.name),
                                ));
                                continue;
                            }
                            _ if v.reads_module_pkgs(flake) => {
                                pkgs_first = Some((pkgs.clone(), *param, this))
                            }
                            _ => {}
                        }
                    }
                    let mut vs: Vec<&SystemValue> = o.parts.iter().map(|(_, v)| v).collect();
                    if vs.is_empty() {
                        vs.push(o.value.as_ref().unwrap());
                    }
                    let kept: Vec<SyntaxNode> = vs.iter().flat_map(|v| v.kept_nodes()).collect();
                    if let Some(c) = lost_comment(&o.entries, &kept, text) {
                        fix.notes.push(cx.note(
                            o.entries[0].text_range().start(),
                            format!(
                                "`{}` stays under `flake` as it is: its comment `{}` is outside the code that would move",
                                o.name,
                                c.lines().next().unwrap_or_default()
                            ),
                        ));
                        continue;
                    }
                    if let Some(why) = vs
                        .iter()
                        .find_map(|v| flake.system_value_movable(v, &["system"]).err())
                    {
                        fix.notes.push(cx.note(
                            o.entries[0].text_range().start(),
                            format!("`{}` stays under `flake` as it is: {why}", o.name),
                        ));
                        continue;
                    }
                    moved.push(Moved {
                        name: o.name.clone(),
                        entries: o.entries.clone(),
                        parts: o.parts.clone(),
                    });
                }
            }
        }

        // Moved code that reads the shared instantiation for the system
        // reads perSystem's `pkgs` instead (`_module.args.pkgs` is that).
        let mut rewrites: Vec<(String, Vec<Edit>)> = Vec::new();
        if let (None, Some(sh)) = (&pkgs_first, &shared) {
            for m in &moved {
                for (i, (_, v)) in m.parts.iter().enumerate() {
                    let edits = flake.shared_pkgs_edits(v, sh);
                    if !edits.is_empty() {
                        rewrites.push((format!("{}#{i}", m.name), edits));
                    }
                }
            }
            if let Some(e) = &each {
                let v = SystemValue::Body {
                    body: e.body.clone(),
                    param: e.param,
                };
                let edits = flake.shared_pkgs_edits(&v, sh);
                if !edits.is_empty() {
                    rewrites.push(("#each".into(), edits));
                }
            }
            // Only when no moved code reads a `pkgs` of its own.
            let clash = moved.iter().any(|m| {
                m.parts
                    .iter()
                    .any(|(_, v)| flake.system_value_movable(v, &["pkgs", "system"]).is_err())
            }) || each.as_ref().is_some_and(|e| {
                flake
                    .system_value_movable(
                        &SystemValue::Body {
                            body: e.body.clone(),
                            param: e.param,
                        },
                        &["pkgs", "system"],
                    )
                    .is_err()
            });
            if clash {
                rewrites.clear();
            }
        }
        let rewrite_of = |key: &str| -> Vec<Edit> {
            rewrites
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, e)| e.clone())
                .unwrap_or_default()
        };

        // perSystem's `pkgs` as a formal: no other moved code may read a `pkgs` of its own.
        if pkgs_first.is_some() {
            moved.retain(|m| {
                let why = m
                    .parts
                    .iter()
                    .find_map(|(_, v)| flake.system_value_movable(v, &["pkgs", "system"]).err());
                match why {
                    Some(why) => {
                        fix.notes.push(cx.note(
                            m.entries[0].text_range().start(),
                            format!("`{}` stays under `flake` as it is: {why}", m.name),
                        ));
                        false
                    }
                    None => true,
                }
            });
        }

        // An imported module reads perSystem's `pkgs` where it read the
        // shared instantiation (`_module.args.pkgs` is that); arguments only
        // its generator call (or that instantiation) read go.
        for i in &mut imported {
            if let (None, Some(sh)) = (&pkgs_first, &shared) {
                i.pkgs_edits = flake.imported_pkgs_edits(&i.generator, sh);
            }
            let gone: Vec<TextRange> = i.pkgs_edits.iter().map(|e| e.range).collect();
            i.dead = flake.imported_dead_arguments(&i.generator, &gone);
        }

        // The module's own entries.
        let entry_indent = match &set {
            Some(set) => set
                .children()
                .find(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .map(|c| line_indent(text, usize::from(c.text_range().start())).to_string())
                .unwrap_or_else(|| {
                    format!(
                        "{}{unit}",
                        line_indent(text, usize::from(set.text_range().start()))
                    )
                }),
            None => format!(
                "{}{unit}",
                line_indent(text, usize::from(outputs.body.text_range().start()))
            ),
        };
        // perSystem's `pkgs`.
        let module_pkgs: Option<String> = match (&pkgs_first, &shared) {
            (Some((pkgs, param, _)), _) => {
                // The alias' expression, re-indented for perSystem's body.
                let from = line_indent(text, usize::from(pkgs.text_range().start())).to_string();
                let to = format!("{entry_indent}{unit}{unit}");
                Some(flake.system_value_text(
                    &SystemValue::Body {
                        body: unparen(pkgs.clone()),
                        param: *param,
                    },
                    &from,
                    &to,
                ))
            }
            (None, Some(s)) => Some(make::pkgs_of_system(&s.name, s.function)),
            (None, None) => None,
        };
        let uses_pkgs = !rewrites.is_empty()
            || moved
                .iter()
                .any(|m| m.parts.iter().any(|(_, v)| v.reads_module_pkgs(flake)));
        if module_pkgs.is_none() && !has_nixpkgs {
            fix.notes.push(cx.note(
                outputs.body.text_range().start(),
                "there is no input named `nixpkgs` and no shared nixpkgs instantiation was found: set `_module.args.pkgs` in perSystem before using its `pkgs`",
            ));
        }

        // `mkFlake { inherit inputs; }` and `flake-parts.lib` are written
        // where the outputs' `let` bindings are in scope.
        if let Some(b) = flake.scope.binders.iter().find(|b| {
            outputs.lets.contains(&b.scope) && (b.name == "inputs" || b.name == "flake-parts")
        }) {
            return Err(cx.refuse(
                NAME,
                b.name_range.start(),
                format!(
                    "a `let` binds `{}` around the outputs, which mkFlake's call would read instead of the flake's; rename it first",
                    b.name
                ),
            ));
        }

        // Edits of flake.nix.
        let path = flake.path.clone();
        let lock = self.lock(cx);
        fix.edit(
            NAME,
            path.clone(),
            self.input_edit(cx, &unit, &lock, has_nixpkgs)?,
        )?;
        let (inputs_name, formal) = self.formals_edits(cx, &mut fix)?;
        let mk_flake = if formal {
            make::mk_flake_function(&["flake-parts"])
        } else {
            make::mk_flake_function(&[inputs_name.as_str(), "flake-parts"])
        };
        let head = make::mk_flake_head(&mk_flake, &inputs_name);

        let inner = format!("{entry_indent}{unit}{unit}");
        let mut ps_entries: Vec<String> = Vec::new();
        if let Some(p) = &module_pkgs {
            ps_entries.push(make::module_args_pkgs(&inner, p));
        }
        let mut per_system_body: Option<String> = None;
        if let Some(e) = &each {
            let from = line_indent(text, usize::from(e.call.text_range().start())).to_string();
            // A body on its own line is one unit deeper than the call; one
            // that starts on the call's line is not.
            let body_to = if syntax::starts_line(text, usize::from(e.body.text_range().start())) {
                entry_indent.clone()
            } else {
                format!("{entry_indent}{unit}")
            };
            let v = SystemValue::Body {
                body: e.body.clone(),
                param: e.param,
            };
            per_system_body =
                Some(flake.system_value_text_with(&v, &from, &body_to, &rewrite_of("#each")));
        }
        for m in &moved {
            let entry = &m.entries[0];
            let from = line_indent(text, usize::from(entry.text_range().start())).to_string();
            let comments = leading_comments(entry, text, &from, &inner);
            let mut bindings = Vec::new();
            for (i, (rest, v)) in m.parts.iter().enumerate() {
                let mut path = vec![make::attr_name(&m.name)];
                path.extend(rest.iter().cloned());
                let value = flake.system_value_text_with(
                    v,
                    &from,
                    &inner,
                    &rewrite_of(&format!("{}#{i}", m.name)),
                );
                bindings.push(make::indented_path_binding(&inner, &path, &value));
            }
            ps_entries.push(format!("{comments}{}", bindings.join("\n")));
        }
        let mut systems_comments = String::new();
        // `let` bindings only the generator calls used (`forAllSystems`).
        let moved_entries: Vec<SyntaxNode> = moved
            .iter()
            .flat_map(|m| m.entries.iter().cloned())
            .chain(imported.iter().map(|i| i.entry.clone()))
            .collect();
        let kept: Vec<SyntaxNode> = moved
            .iter()
            .flat_map(|m| m.parts.iter().flat_map(|(_, v)| v.kept_nodes()))
            .chain(each.iter().map(|e| e.body.clone()))
            .collect();
        let mut also_kept: Vec<&str> = Vec::new();
        if let Some(s) = &shared {
            also_kept.push(s.name.as_str());
        }
        let mut kept = kept;
        if let Some((pkgs, _, _)) = &pkgs_first {
            kept.push(pkgs.clone());
        }
        kept.extend(systems_expr.iter().cloned());
        // What the imports list keeps of each import: its names, but those
        // of arguments that go with the generator call.
        for Imported {
            generator: g, dead, ..
        } in &imported
        {
            kept.extend(
                g.import
                    .descendants()
                    .filter(|n| n.kind() == SyntaxKind::NODE_IDENT)
                    .filter(|n| !dead.iter().any(|d| &d.ident == n)),
            );
        }
        let unused = flake.bindings_left_unused(&moved_entries, &kept, &also_kept);
        if !unused.is_empty() {
            let mut removals: Vec<TextRange> =
                crate::relocate::let_removals(text, &flake.scope, &unused);
            removals.sort_by_key(|r| r.start());
            let mut merged: Vec<TextRange> = Vec::new();
            for r in removals {
                match merged.last_mut() {
                    Some(last) if last.end() >= r.start() => *last = last.cover(r),
                    _ => merged.push(r),
                }
            }
            let mut removals: Vec<TextRange> = merged
                .into_iter()
                .map(|r| swallow_blank_after_let(r, text))
                .collect();
            // A `let` left empty goes, up to what follows its `in`.
            for l in &outputs.lets {
                if let Some(whole) = empty_let(l, &removals) {
                    removals.retain(|r| !whole.contains_range(*r));
                    removals.push(whole);
                }
            }
            // The comments of a `systems` binding go with the module's `systems`.
            let systems_binding = unused
                .iter()
                .filter_map(|&b| flake.scope.binders[b].entries.first())
                .find(|e| {
                    let b = flake.scope.binder_of_entry(e);
                    b.is_some_and(|b| flake.scope.binders[b].name == "systems")
                        || systems_expr
                            .as_ref()
                            .is_some_and(|x| e.text_range().contains_range(x.text_range()))
                })
                .cloned();
            if let Some(entry) = &systems_binding {
                let from = line_indent(text, usize::from(entry.text_range().start())).to_string();
                systems_comments = leading_comments(entry, text, &from, &entry_indent);
            }
            for tok in flake
                .file
                .root
                .descendants_with_tokens()
                .filter_map(|e| e.into_token())
                .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
            {
                let carried = systems_binding.as_ref().is_some_and(|e| {
                    attached_range(e, text).contains_range(tok.text_range())
                        && !e.text_range().contains_range(tok.text_range())
                });
                if removals.iter().any(|r| r.contains_range(tok.text_range())) && !carried {
                    fix.removed_comments
                        .push(crate::verify::normalize_comment(tok.text()));
                }
            }
            for r in removals {
                fix.edit(NAME, path.clone(), Edit::delete(r))?;
            }
            let mut names: Vec<&str> = unused
                .iter()
                .map(|&b| flake.scope.binders[b].name.as_str())
                .collect();
            names.sort();
            fix.actions
                .push(format!("removed {}, now unused", names.join(", ")));
        }

        // The list as the flake names it, when that binding stays
        // (`inherit systems;`), else written out.
        let named_list = per_system
            .iter()
            .filter(|o| o.value.is_ok() && o.systems.as_ref().ok() == Some(&systems))
            .filter_map(|o| o.systems_node.as_ref())
            .filter(|n| n.kind() == SyntaxKind::NODE_IDENT)
            .find_map(|n| {
                let b = flake.scope.reference_at(n.text_range())?.binder?;
                let binder = &flake.scope.binders[b];
                (binder.kind == crate::scope::BinderKind::Let
                    && outputs.lets.contains(&binder.scope)
                    && !unused.contains(&b))
                .then(|| binder.name.clone())
            });
        let systems_entry = match (&systems_expr, &named_list) {
            (Some(e), _) => make::binding("systems", &e.text().to_string()),
            (None, Some(name)) if name == "systems" => make::inherit(&["systems".to_string()]),
            (None, Some(name)) => make::binding("systems", name),
            (None, None) => make::systems_binding(&systems, &entry_indent, &unit),
        };
        let mut module_entries = vec![if systems_comments.is_empty() {
            systems_entry
        } else {
            format!(
                "{}{entry_indent}{}",
                systems_comments.trim_start(),
                systems_entry
            )
        }];
        if !imported.is_empty() {
            // `imports = [ (import ./devshells { ... }) ];`, comments above
            // an output's entry going with its item.
            let item_indent = format!("{entry_indent}{unit}");
            let items: Vec<(String, String)> = imported
                .iter()
                .map(
                    |Imported {
                         entry,
                         generator: g,
                         dead,
                         ..
                     }| {
                        let from =
                            line_indent(text, usize::from(entry.text_range().start())).to_string();
                        let comments = leading_comments(entry, text, &from, &item_indent);
                        let drop: Vec<Edit> = dead
                            .iter()
                            .filter_map(|d| d.inherited)
                            .map(Edit::delete)
                            .collect();
                        let value = flake.system_value_text_with(
                            &SystemValue::Verbatim {
                                value: g.import.clone(),
                            },
                            &from,
                            &item_indent,
                            &drop,
                        );
                        match flake.imported_as_path(g, dead) {
                            Some(path) => (comments, path.text().to_string()),
                            None => (comments, make::paren(value.trim_start())),
                        }
                    },
                )
                .collect();
            module_entries.insert(0, make::imports_list(&items, &entry_indent, &unit));
        }
        let mut formals = vec!["system"];
        if uses_pkgs {
            formals.insert(0, "pkgs");
        }
        match per_system_body {
            Some(body) if ps_entries.is_empty() => {
                module_entries.push(make::per_system_function(
                    &formals,
                    &body,
                    &entry_indent,
                    &unit,
                ));
            }
            Some(_) => {
                return Err(cx.refuse(
                    NAME,
                    outputs.body.text_range().start(),
                    "per-system outputs both in the attribute set and in a flake-utils generator",
                ))
            }
            None if !ps_entries.is_empty() => {
                module_entries.push(make::per_system_binding(
                    &formals,
                    &ps_entries,
                    &entry_indent,
                    &unit,
                ));
            }
            None => {}
        }

        match &set {
            Some(set) => {
                match drop_rec {
                    Some(rec) => fix.edit(NAME, path.clone(), Edit::replace(rec, head.clone()))?,
                    None => fix.edit(
                        NAME,
                        path.clone(),
                        Edit::insert(set.text_range().start(), head.clone()),
                    )?,
                }
                let brace = set
                    .children_with_tokens()
                    .find(|t| t.kind() == SyntaxKind::TOKEN_L_BRACE);
                let mut open = brace
                    .as_ref()
                    .map(|t| t.text_range().end())
                    .unwrap_or(set.text_range().start());
                // After a comment on the brace's line (`{ # outputs`).
                let mut next = brace.and_then(|b| b.next_sibling_or_token());
                while let Some(t) = next {
                    match t.kind() {
                        SyntaxKind::TOKEN_WHITESPACE if !t.to_string().contains('\n') => {}
                        SyntaxKind::TOKEN_COMMENT if !t.to_string().contains('\n') => {
                            open = t.text_range().end();
                            break;
                        }
                        _ => break,
                    }
                    next = t.next_sibling_or_token();
                }
                let gone = |c: &SyntaxNode| {
                    moved.iter().any(|m| m.entries.contains(c))
                        || imported.iter().any(|i| &i.entry == c)
                };
                let kept_any = set
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                    .any(|c| !gone(&c));
                let mut insert = String::new();
                for (i, m) in module_entries.iter().enumerate() {
                    if i > 0 {
                        insert.push('\n');
                    }
                    insert.push('\n');
                    insert.push_str(&entry_indent);
                    insert.push_str(m);
                }
                if kept_any {
                    insert.push('\n');
                }
                fix.edit(NAME, path.clone(), Edit::insert(open, insert))?;
                let mut deletions: Vec<TextRange> = Vec::new();
                let mut at_start = true;
                for entry in set
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                {
                    if gone(&entry) {
                        let range = moved_entry_range(&entry, at_start, text);
                        match deletions.last_mut() {
                            Some(last) if last.end() >= range.start() => {
                                *last = last.cover(range);
                            }
                            _ => deletions.push(range),
                        }
                    } else {
                        at_start = false;
                        fix.edit(
                            NAME,
                            path.clone(),
                            Edit::insert(entry.text_range().start(), make::flake_prefix()),
                        )?;
                    }
                }
                for range in deletions {
                    // Whole lines go with their line break.
                    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
                    let rest = &text[end..];
                    let range = match rest.find('\n') {
                        Some(i)
                            if (start == 0 || text[..start].ends_with('\n'))
                                && !text[..end].ends_with('\n')
                                && rest[..i].trim().is_empty() =>
                        {
                            TextRange::new(range.start(), ((end + i + 1) as u32).into())
                        }
                        _ => range,
                    };
                    fix.edit(NAME, path.clone(), Edit::delete(range))?;
                }
                if let Some(e) = &each {
                    // Remove ` // eachDefaultSystem (...)` (or `(...) // `).
                    let range = update_operand_range(&e.call, set).ok_or_else(|| {
                        cx.refuse(
                            NAME,
                            e.call.text_range().start(),
                            "the flake-utils call is not an operand of `//` next to the outputs",
                        )
                    })?;
                    fix.edit(NAME, path.clone(), Edit::delete(range))?;
                }
            }
            None => {
                let Some(e) = &each else {
                    return Err(cx.refuse(
                        NAME,
                        outputs.body.text_range().start(),
                        "the outputs are not an attribute set",
                    ));
                };
                let indent =
                    line_indent(text, usize::from(e.call.text_range().start())).to_string();
                let module = make::module_set(&module_entries, &indent, &entry_indent);
                fix.edit(
                    NAME,
                    path.clone(),
                    Edit::replace(e.call.text_range(), format!("{head}{module}")),
                )?;
            }
        }

        // Each imported file's generator call becomes a flake-parts module.
        for Imported {
            name,
            generator: g,
            dead,
            pkgs_edits,
            ..
        } in &imported
        {
            let ftext = flake.imported_text(g);
            let funit = indent_unit(&ftext);
            let call_indent =
                line_indent(&ftext, usize::from(g.call.text_range().start())).to_string();
            let ei = format!("{call_indent}{funit}");
            let inner = format!("{ei}{funit}{funit}");
            let value = flake.imported_body_text(g, &call_indent, &inner, pkgs_edits);
            let binding = make::indented_path_binding(&inner, &[make::attr_name(name)], &value);
            let formals: &[&str] = if pkgs_edits.is_empty() {
                &["system"]
            } else {
                &["pkgs", "system"]
            };
            let per_system = make::per_system_binding(formals, &[binding], &ei, &funit);
            let module = make::module_set(&[per_system], &call_indent, &ei);
            fix.edit(
                NAME,
                g.path.clone(),
                Edit::replace(g.call.text_range(), module),
            )?;
            for d in dead {
                fix.edit(NAME, g.path.clone(), Edit::delete(d.formal))?;
            }
            let rel = g.path.strip_prefix(flake.dir()).unwrap_or(&g.path);
            let names: Vec<String> = dead.iter().map(|d| format!("`{}`", d.name)).collect();
            fix.actions.push(format!(
                "{} becomes a flake-parts module making `{name}` in perSystem, listed in mkFlake's `imports`{}",
                rel.display(),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; it no longer takes {}, which only its generator call read",
                        names.join(", ")
                    )
                }
            ));
        }

        // What flake-parts changes, declared.
        let defined: BTreeSet<String> = flake.output_names();
        let moved_names: BTreeSet<&str> = moved
            .iter()
            .map(|m| m.name.as_str())
            .chain(imported.iter().map(|i| i.name.as_str()))
            .chain(each.iter().flat_map(|e| {
                e.keys
                    .as_ref()
                    .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>())
                    .unwrap_or_default()
            }))
            .collect();
        for name in PER_SYSTEM_OUTPUTS {
            if moved_names.contains(name) {
                continue;
            }
            if name == "formatter" {
                if !defined.contains(name) {
                    fix.declared_changes.push(name.to_string());
                    fix.actions.push("`formatter` now exists (empty); flake-parts probes perSystem's formatter on every system to build it".into());
                }
                continue;
            }
            let o = per_system.iter().find(|o| o.name == name);
            match o.map(|o| &o.systems) {
                None if !defined.contains(name) => {
                    fix.declared_changes.push(name.to_string());
                    fix.actions.push(format!(
                        "`{name}` now exists, with an empty set for each system (flake-parts makes every transposed output)"
                    ));
                }
                None => {}
                Some(Ok(own)) => {
                    let missing: Vec<&String> =
                        systems.iter().filter(|s| !own.contains(s)).collect();
                    for s in &missing {
                        fix.declared_changes.push(format!("{name}.{s}"));
                    }
                    if !missing.is_empty() {
                        fix.actions.push(format!(
                            "`{name}` gains an empty set on {} (flake-parts makes every transposed output on every system)",
                            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                        ));
                    }
                }
                Some(Err(_)) => {
                    fix.declared_changes.push(name.to_string());
                    fix.actions.push(format!(
                        "`{name}` may gain empty sets on systems it lacks (flake-parts makes every transposed output on every system)"
                    ));
                }
            }
        }
        for d in &expanded {
            fix.declared_changes.push(d.clone());
        }
        if !expanded.is_empty() {
            fix.actions.push(format!(
                "--expand-systems: {} now exist",
                expanded.join(", ")
            ));
        }
        let readers = flake.outputs_reading_inputs_set();
        for name in &readers {
            fix.declared_changes.push(name.clone());
        }
        if !readers.is_empty() {
            fix.actions.push(format!(
                "{} {} on the whole inputs set (or `self`), which gains `flake-parts` (e.g. a registry or `specialArgs` built from `inputs`)",
                readers.iter().cloned().collect::<Vec<_>>().join(", "),
                if readers.len() == 1 { "depends" } else { "depend" }
            ));
        }
        for (name, what) in WRAPPED {
            if defined.contains(*name) {
                fix.declared_changes.push(name.to_string());
                fix.actions.push(what.to_string());
            }
        }
        let moved_list: Vec<&str> = moved_names
            .iter()
            .copied()
            .filter(|n| !n.is_empty())
            .collect();
        if !moved_list.is_empty() {
            fix.actions.push(format!(
                "{} {} into perSystem on {}",
                moved_list.join(", "),
                if moved_list.len() == 1 {
                    "moves"
                } else {
                    "move"
                },
                match &systems_expr {
                    Some(e) => format!("the systems of `{}`", e.text()),
                    None => systems.join(", "),
                }
            ));
        }
        let rest: Vec<String> = outputs
            .defs
            .iter()
            .map(|d| d.name.clone())
            .filter(|n| !moved_list.contains(&n.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !rest.is_empty() {
            fix.actions.push(format!(
                "{} {} under `flake`",
                rest.join(", "),
                if rest.len() == 1 { "stays" } else { "stay" }
            ));
        }
        if let Some(p) = &module_pkgs {
            fix.actions
                .push(format!("perSystem's `pkgs` is `{p}` (`_module.args.pkgs`)"));
        }
        // The flake-utils input the generator came from, now unused here.
        if let Some(e) = &each {
            let name = e
                .call
                .first_child()
                .and_then(|f| f.descendants().find(|n| n.kind() == SyntaxKind::NODE_IDENT))
                .map(|i| i.text().to_string());
            let used_elsewhere = |name: &str| {
                flake
                    .scope
                    .refs
                    .iter()
                    .any(|r| r.name == name && !e.call.text_range().contains_range(r.range))
                    || text.matches(&format!(".{name}")).count() > 0
            };
            if let Some(name) = name {
                if flake.inputs.iter().any(|i| i.name == name) && !used_elsewhere(&name) {
                    fix.actions.push(format!(
                        "flake.nix no longer uses the `{name}` input: remove it (and run `nix flake lock`) if nothing else needs it"
                    ));
                }
            }
        }
        match &lock {
            Some(Reuse::Follows(target)) => fix.actions.push(format!(
                "the flake-parts input follows `{target}`, which flake.lock already has: run `nix flake lock` to record it"
            )),
            _ => fix.actions.push(
                "flake.lock lacks the new flake-parts input: run `nix flake lock`".into(),
            ),
        }
        Ok(fix)
    }
}

/// A per-system output whose imported file becomes a flake-parts module.
struct Imported {
    name: String,
    /// Its entry of the outputs set (which goes).
    entry: SyntaxNode,
    generator: ImportedGenerator,
    /// Arguments only the generator call read, which go.
    dead: Vec<DeadArgument>,
    /// Edits of the file's BODY to read perSystem's `pkgs`.
    pkgs_edits: Vec<Edit>,
}

/// An output that moves into perSystem.
struct Moved {
    name: String,
    /// The entries of the outputs set that go.
    entries: Vec<SyntaxNode>,
    /// What perSystem gets: paths below the output and values.
    parts: Vec<(Vec<String>, SystemValue)>,
}

/// The range to delete for an entry that moves into perSystem: with its
/// comments, and with the blank line that would be left next to a brace.
fn moved_entry_range(entry: &SyntaxNode, at_start: bool, text: &str) -> TextRange {
    let range = removal_range(attached_range(entry, text), text);
    let (mut start, mut end) = (usize::from(range.start()), usize::from(range.end()));
    if at_start {
        // Nothing of the set before it stays: the blank lines after it go too.
        while text[end..].starts_with('\n') || text[end..].starts_with(" \n") {
            let nl = text[end..].find('\n').unwrap_or(0);
            if !text[end..end + nl].trim().is_empty() {
                break;
            }
            end += nl + 1;
        }
    }
    let next = text[end..].lines().next().unwrap_or("").trim_start();
    if next.starts_with('}') && text[..start].ends_with("\n\n") {
        // Last in the set: the blank line above it goes too.
        start -= 1;
        while start > 0 && text[..start].ends_with([' ', '\t']) {
            start -= 1;
        }
    }
    TextRange::new((start as u32).into(), (end as u32).into())
}

/// How the flake-parts input is added.
enum Reuse {
    /// Another input brings flake-parts: follow its node (`nixvim/flake-parts`).
    Follows(String),
}

impl FlakeParts {
    /// A flake-parts node flake.lock already has through another input.
    fn lock(&self, cx: &Context) -> Option<Reuse> {
        let lock_path = cx.flake.dir().join("flake.lock");
        let text = cx.ws.read(&lock_path).ok()??;
        let lock = Lock::parse(&text).ok()?;
        lock.flake_parts_via_input()
            .map(|p| Reuse::Follows(p.join("/")))
    }

    /// Add the flake-parts input in the style of the inputs.
    fn input_edit(
        &self,
        cx: &Context,
        unit: &str,
        reuse: &Option<Reuse>,
        has_nixpkgs: bool,
    ) -> Result<Edit, Error> {
        let flake = cx.flake;
        let text = flake.file.text.as_str();
        if let Some(i) = flake.inputs.iter().find(|i| i.name == "flake-parts") {
            return Err(cx.refuse(
                NAME,
                i.range.start(),
                "an input named `flake-parts` exists but the outputs do not use mkFlake; remove or rename it first",
            ));
        }
        let entries = match reuse {
            Some(Reuse::Follows(target)) => vec![make::binding("follows", &make::string(target))],
            None => make::flake_parts_input_entries(has_nixpkgs),
        };
        let top = syntax::top_set(&flake.file.root)
            .ok_or_else(|| cx.refuse(NAME, 0.into(), "flake.nix is not an attribute set"))?;
        let name = vec!["flake-parts".to_string()];
        // `inputs = { ... };`
        let inputs_set = syntax::static_entries(&top).find_map(|(_, p, v)| {
            (p == ["inputs"] && syntax::is_plain_set(&unparen(v.clone()))).then(|| unparen(v))
        });
        let (anchor, path_prefix, indent) = match &inputs_set {
            Some(set) => {
                let last = set
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                    .last();
                match last {
                    Some(l) => (
                        l,
                        Vec::new(),
                        line_indent(
                            text,
                            usize::from(
                                set.children()
                                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                                    .unwrap()
                                    .text_range()
                                    .start(),
                            ),
                        )
                        .to_string(),
                    ),
                    None => {
                        return Err(cx.refuse(
                            NAME,
                            set.text_range().start(),
                            "the inputs set is empty",
                        ))
                    }
                }
            }
            None => {
                let last = top
                    .children()
                    .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                    .filter(|c| {
                        syntax::attrpath_names(c)
                            .is_some_and(|p| p.first().map(String::as_str) == Some("inputs"))
                    })
                    .last()
                    .or_else(|| {
                        top.children()
                            .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                            .find(|c| {
                                syntax::attrpath_names(c).is_some_and(|p| p == ["description"])
                            })
                    });
                match last {
                    Some(l) => (
                        l.clone(),
                        vec!["inputs".to_string()],
                        line_indent(text, usize::from(l.text_range().start())).to_string(),
                    ),
                    None => {
                        let outputs = &flake.outputs.as_ref().unwrap().binding;
                        let indent = line_indent(text, usize::from(outputs.text_range().start()))
                            .to_string();
                        let mut path = vec!["inputs".to_string()];
                        path.extend(name.clone());
                        let binding = make::set_binding(&path, &entries, &indent, unit);
                        return Ok(Edit::insert(
                            outputs.text_range().start(),
                            format!("{binding}\n\n{indent}"),
                        ));
                    }
                }
            }
        };
        // Set form when the other inputs use it, else dotted bindings.
        let siblings: Vec<SyntaxNode> = match &inputs_set {
            Some(set) => set.children().collect(),
            None => top.children().collect(),
        };
        let set_form = entries.len() > 1
            && siblings.iter().any(|c| {
                syntax::attr_value(c).is_some_and(|v| syntax::is_plain_set(&unparen(v)))
                    && c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE
                    && syntax::attrpath_names(c).is_some_and(|p| p.len() == path_prefix.len() + 1)
            });
        let mut path = path_prefix.clone();
        path.extend(name);
        let insert = if set_form {
            format!(
                "\n{indent}{}",
                make::set_binding(&path, &entries, &indent, unit)
            )
        } else {
            let mut out = String::new();
            for e in &entries {
                out.push_str(&format!(
                    "\n{indent}{}",
                    make::prefixed_entry(&path.join("."), e)
                ));
            }
            out
        };
        let end = usize::from(anchor.text_range().end());
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        Ok(Edit::insert(TextSize::from(line_end as u32), insert))
    }

    /// `flake-parts` added to closed formals, `@inputs` when the pattern
    /// has no name: the name of the inputs, and whether `flake-parts` is a formal.
    fn formals_edits(&self, cx: &Context, fix: &mut Fix) -> Result<(String, bool), Error> {
        let flake = cx.flake;
        let outputs = flake.outputs.as_ref().unwrap();
        let param = &outputs.param;
        if let Some(ident) = &param.ident {
            return Ok((ident.clone(), false));
        }
        let Some(pattern) = outputs
            .lambda
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)
        else {
            return Err(cx.refuse(
                NAME,
                outputs.lambda.text_range().start(),
                "the outputs function has no argument",
            ));
        };
        let open = pattern
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_ELLIPSIS);
        let mut formal = param.formals.iter().any(|f| f == "flake-parts");
        if !open && !formal {
            let insert = syntax::add_formal(&pattern, flake.file.text.as_str(), "flake-parts")
                .map_err(|why| {
                    cx.refuse(
                        NAME,
                        pattern.text_range().start(),
                        format!("cannot add `flake-parts` to the outputs' arguments: {why}"),
                    )
                })?;
            fix.edit(NAME, flake.path.clone(), insert)?;
            formal = true;
        }
        match &param.at {
            Some(at) => Ok((at.clone(), formal)),
            None => {
                if param.formals.iter().any(|f| f == "inputs") {
                    return Err(cx.refuse(
                        NAME,
                        pattern.text_range().start(),
                        "an input named `inputs` hides the inputs set",
                    ));
                }
                fix.edit(
                    NAME,
                    flake.path.clone(),
                    Edit::insert(pattern.text_range().end(), "@inputs"),
                )?;
                Ok(("inputs".into(), formal))
            }
        }
    }
}

/// A comment that moving `entries` would lose: attached to them (see
/// [`attached_range`]) but neither above the first (those move along) nor
/// inside the code that moves.
fn lost_comment(entries: &[SyntaxNode], kept: &[SyntaxNode], text: &str) -> Option<String> {
    for (i, entry) in entries.iter().enumerate() {
        let range = attached_range(entry, text);
        let node = syntax::covering_node(&entry.ancestors().last()?, range);
        for t in node
            .descendants_with_tokens()
            .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
        {
            let r = t.text_range();
            let carried = i == 0 && r.end() <= entry.text_range().start();
            if range.contains_range(r)
                && !carried
                && !kept.iter().any(|k| k.text_range().contains_range(r))
            {
                return t.as_token().map(|t| t.text().to_string());
            }
        }
    }
    None
}

/// Comments inside `outer` but not inside `inner`.
fn comments_outside(outer: &SyntaxNode, inner: &SyntaxNode) -> bool {
    outer
        .descendants_with_tokens()
        .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
        .any(|t| !inner.text_range().contains_range(t.text_range()))
}

/// The range from `let` to what follows its `in`, when every binding of
/// `let_in` and every comment between `let` and `in` is inside `removed`.
fn empty_let(let_in: &SyntaxNode, removed: &[TextRange]) -> Option<TextRange> {
    let inside = |r: TextRange| removed.iter().any(|x| x.contains_range(r));
    let in_kw = let_in
        .children_with_tokens()
        .find(|t| t.kind() == SyntaxKind::TOKEN_IN)?;
    let bindings_gone = let_in
        .children()
        .filter(|c| {
            matches!(
                c.kind(),
                SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
            )
        })
        .all(|c| inside(c.text_range()));
    let comments_gone = let_in
        .children_with_tokens()
        .filter(|t| {
            t.kind() == SyntaxKind::TOKEN_COMMENT
                && t.text_range().end() <= in_kw.text_range().start()
        })
        .all(|t| inside(t.text_range()));
    if !bindings_gone || !comments_gone {
        return None;
    }
    let mut next = in_kw.next_sibling_or_token();
    while let Some(t) = &next {
        if t.kind() != SyntaxKind::TOKEN_WHITESPACE {
            break;
        }
        next = t.next_sibling_or_token();
    }
    let end = next?.text_range().start();
    Some(TextRange::new(let_in.text_range().start(), end))
}

/// `range` (a `let` binding that goes) with the blank line after it when it
/// was the first binding after `let`, so that no blank line follows `let`.
fn swallow_blank_after_let(range: TextRange, text: &str) -> TextRange {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    if !text[..start].trim_end().ends_with("let") {
        return range;
    }
    let rest = &text[end..];
    match rest.find('\n') {
        Some(i) if rest[..i].trim().is_empty() => {
            TextRange::new(range.start(), ((end + i + 1) as u32).into())
        }
        _ => range,
    }
}

/// The comment lines attached above `entry`, re-indented from `from` to `to`.
fn leading_comments(entry: &SyntaxNode, text: &str, from: &str, to: &str) -> String {
    let range = attached_range(entry, text);
    let start = usize::from(range.start());
    let end = usize::from(entry.text_range().start());
    if start >= end {
        return String::new();
    }
    let mut out = String::new();
    for line in text[start..end].lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let rest = line.strip_prefix(from).unwrap_or(t);
        out.push_str(to);
        out.push_str(rest);
        out.push('\n');
    }
    out
}

/// The range to delete to remove `call` from the `//` chain it shares with
/// `set`: the operator and the whitespace between them.
fn update_operand_range(call: &SyntaxNode, set: &SyntaxNode) -> Option<TextRange> {
    let parent = call.parent()?;
    let parent = if parent.kind() == SyntaxKind::NODE_PAREN {
        parent.parent()?
    } else {
        parent
    };
    if parent.kind() != SyntaxKind::NODE_BIN_OP {
        return None;
    }
    let op_node = parent.clone();
    let first = op_node.children().next()?;
    let second = op_node.children().nth(1)?;
    if unparen(second.clone()) == *call && unparen(first.clone()) == *set {
        Some(TextRange::new(
            set.text_range().end(),
            second.text_range().end(),
        ))
    } else if unparen(first.clone()) == *call && unparen(second.clone()) == *set {
        Some(TextRange::new(
            first.text_range().start(),
            set.text_range().start(),
        ))
    } else {
        None
    }
}

/// The output an entry of the outputs set defines (`packages` of
/// `packages.x86_64-linux.default = ...;`), when its name is static.
fn output_name(entry: &rnix::SyntaxNode) -> Option<String> {
    entry
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
        .and_then(|p| p.first_child())
        .and_then(|a| syntax::static_attr_name(&a))
}

/// Outputs that flake-parts passes through `flake` unchanged: `self.<name>`
/// is the value the `rec` set gave them.
const PASSED_THROUGH: &[&str] = &[
    "nixosConfigurations",
    "darwinConfigurations",
    "homeConfigurations",
    "lib",
];

/// A use `r` of the `rec` outputs' attribute `b` written as `self.<name>`,
/// when that is the same value: `b` is passed through unchanged, the use is
/// a plain name inside another such output, and `self` there is the
/// outputs function's own.
fn rec_use_via_self(
    flake: &crate::flake::Flake,
    outputs: &crate::flake::Outputs,
    set: &rnix::SyntaxNode,
    b: &crate::scope::Binder,
    r: &crate::scope::Reference,
) -> Option<Edit> {
    if !PASSED_THROUGH.contains(&b.name.as_str()) {
        return None;
    }
    // The output the use is in.
    let entry = set
        .children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .find(|c| c.text_range().contains_range(r.range))?;
    let key = output_name(&entry)?;
    if !PASSED_THROUGH.contains(&key.as_str()) || key == b.name {
        return None;
    }
    // A plain name (not `inherit`), with no `with` around it.
    let ident = entry
        .descendants()
        .find(|n| n.kind() == SyntaxKind::NODE_IDENT && n.text_range() == r.range)?;
    if ident
        .parent()
        .is_some_and(|p| p.kind() == SyntaxKind::NODE_INHERIT)
        || !r.withs.is_empty()
    {
        return None;
    }
    let self_binder = flake.scope.resolve_at("self", r.range.start())?;
    let sb = &flake.scope.binders[self_binder];
    if sb.scope != outputs.lambda || sb.kind != crate::scope::BinderKind::Formal {
        return None;
    }
    Some(Edit::replace(r.range, format!("self.{}", b.name)))
}
