//! `drop-osconfigfor`: stop passing a NixOS configuration to standalone Home
//! Manager configurations.
//!
//! See `codemods/drop-osconfigfor/README.md` for what it does, when it refuses
//! and what it may change.

use std::collections::BTreeSet;
use std::path::Path;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::{Applicability, Codemod, Context, Fix, Note};
use crate::error::{Error, Location};
use crate::flake::{Flake, Via};
use crate::modules::{self, Kind, Module};
use crate::relocate::{attached_range, let_removals, removal_range};
use crate::scope::{BinderKind, ScopeIndex};
use crate::syntax::edit::Edit;
use crate::syntax::{
    self, attr_value, attrpath_names, make, static_attr_name, unparen, ParsedFile,
};
use crate::verify::normalize_comment;

pub struct DropOsconfigfor;

const NAME: &str = "drop-osconfigfor";
const BUILDER: &str = "homeManagerConfiguration";

impl Codemod for DropOsconfigfor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "Stop passing a NixOS configuration (osConfig) to standalone Home Manager configurations"
    }
    fn applicability(&self) -> Applicability {
        Applicability::Unsafe
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/drop-osconfigfor/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let sites = builder_sites(flake);
        if sites.is_empty() {
            return Ok(fix);
        }

        // The special arguments that read a NixOS configuration, per call.
        let mut found: Vec<(Site, Vec<SpecialArg>)> = Vec::new();
        for site in sites {
            let args = special_args(&site.arg);
            let nixos: Vec<SpecialArg> = args
                .into_iter()
                .filter(|a| reads_nixos(flake, &a.value, &mut BTreeSet::new()))
                .collect();
            if !nixos.is_empty() {
                found.push((site, nixos));
            }
        }
        if found.is_empty() {
            return Ok(fix);
        }

        // Who reads them: every Home Manager module of each affected configuration.
        let mut reads: Vec<Read> = Vec::new();
        for (site, args) in &found {
            let names: BTreeSet<String> = args.iter().map(|a| a.name.clone()).collect();
            let mut roots: Vec<(Kind, Module)> = Vec::new();
            for list in &site.module_lists {
                for item in modules::list_items(list) {
                    roots.push((
                        Kind::Home,
                        modules::module_of(&item, &flake.path, &flake.file.lines),
                    ));
                }
            }
            let graph = modules::follow(cx.ws, roots);
            for (_, location, text) in &graph.opaque {
                fix.notes.push(Note {
                    location: Some(location.clone()),
                    message: format!("cannot follow the Home Manager module `{text}`; its reads of {} are not checked", join(&names)),
                });
            }
            for (_, location, path) in &graph.missing {
                fix.notes.push(Note {
                    location: Some(location.clone()),
                    message: format!("imported module {} does not exist", path.display()),
                });
            }
            for ((_, path), file) in &graph.files {
                match &file.parsed {
                    Ok(parsed) => {
                        if let Some(top) = parsed.root.first_child() {
                            let scope = ScopeIndex::build(&parsed.root);
                            reads.extend(module_reads(&top, &scope, parsed, path, &names));
                        }
                    }
                    Err(e) => fix.notes.push(Note {
                        location: None,
                        message: format!("cannot check {}: {e}", path.display()),
                    }),
                }
            }
            for (_, file, node) in &graph.inline {
                if file == &flake.path {
                    reads.extend(module_reads(node, &flake.scope, &flake.file, file, &names));
                } else if let Ok(Some(text)) = cx.ws.read(file) {
                    // Inline modules of other files were reached through a parse of that file.
                    if let Ok(parsed) = syntax::parse(file, &text) {
                        if let Some(same) = parsed.root.descendants().find(|n| {
                            n.text_range() == node.text_range() && n.kind() == node.kind()
                        }) {
                            let scope = ScopeIndex::build(&parsed.root);
                            reads.extend(module_reads(&same, &scope, &parsed, file, &names));
                        }
                    }
                }
            }
        }
        reads.sort_by(|a, b| a.location.cmp(&b.location));
        reads.dedup_by(|a, b| a.location == b.location);
        let breaking: Vec<&Read> = reads.iter().filter(|r| r.breaking).collect();
        if !breaking.is_empty() && !cx.options.allow_breaking {
            let list: Vec<String> = breaking
                .iter()
                .map(|r| format!("  {}: {}", r.location, r.what))
                .collect();
            return Err(cx.refuse(
                NAME,
                found[0].1[0].entry.text_range().start(),
                format!(
                    "Home Manager modules read the argument without a guard and would fail once it is gone (use --allow-breaking to apply anyway):\n{}",
                    list.join("\n")
                ),
            ));
        }
        for r in &reads {
            let prefix = if r.breaking {
                "warning: will fail without the argument"
            } else {
                "guarded read, keeps working"
            };
            fix.notes.push(Note {
                location: Some(r.location.clone()),
                message: format!("{prefix}: {}", r.what),
            });
        }

        // Remove the special arguments; a set they leave empty becomes `{ }`.
        let text = &flake.file.text;
        let mut removed: Vec<TextRange> = Vec::new();
        let all_args: Vec<&SpecialArg> = found.iter().flat_map(|(_, a)| a.iter()).collect();
        let mut emptied: Vec<SyntaxNode> = Vec::new();
        for arg in &all_args {
            let Some(set) = arg
                .entry
                .parent()
                .filter(|p| p.kind() == SyntaxKind::NODE_ATTR_SET)
            else {
                continue;
            };
            if found.iter().any(|(site, _)| site.arg == set) {
                continue; // the builder's own argument set never goes
            }
            let all_gone = set
                .children()
                .filter(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .all(|c| {
                    let names = c
                        .children()
                        .filter(|n| n.kind() != SyntaxKind::NODE_INHERIT_FROM)
                        .count();
                    let gone = all_args.iter().filter(|a| a.entry == c).count();
                    gone > 0 && (c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE || gone == names)
                });
            let has_comments = set
                .children_with_tokens()
                .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT);
            if all_gone && !has_comments && !emptied.contains(&set) {
                emptied.push(set);
            }
        }
        for set in &emptied {
            fix.edit(
                NAME,
                flake.path.clone(),
                Edit::replace(set.text_range(), make::empty_attrset()),
            )?;
            removed.push(set.text_range());
        }
        for (site, args) in &found {
            for arg in args {
                let range = arg_removal(arg, text);
                let in_emptied = emptied.iter().any(|s| s.text_range().contains_range(range));
                if !in_emptied && !removed.contains(&range) {
                    removed.push(range);
                    fix.edit(NAME, flake.path.clone(), Edit::delete(range))?;
                }
                fix.actions.push(format!(
                    "removed `{}` ({}) from {}",
                    arg.name,
                    flake.location(arg.entry.text_range().start()),
                    site.describe
                ));
            }
            fix.declared_changes.extend(site.declared.iter().cloned());
        }

        // Then the helpers only those arguments used (osConfigFor, currentSystem...).
        let unused = flake
            .scope
            .exclusively_used(&removed, |b| flake.scope.binders[b].kind == BinderKind::Let);
        let unused: Vec<usize> = unused.into_iter().collect();
        for range in let_removals(text, &flake.scope, &unused) {
            fix.edit(NAME, flake.path.clone(), Edit::delete(range))?;
            removed.push(range);
        }
        if !unused.is_empty() {
            let names: Vec<String> = unused
                .iter()
                .map(|&b| format!("`{}`", flake.scope.binders[b].name))
                .collect();
            fix.actions
                .push(format!("removed {}, now unused", names.join(", ")));
        }
        for tok in flake
            .file
            .root
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
        {
            if tok.kind() == SyntaxKind::TOKEN_COMMENT
                && removed.iter().any(|r| r.contains_range(tok.text_range()))
            {
                fix.removed_comments.push(normalize_comment(tok.text()));
            }
        }
        fix.declared_changes.sort();
        fix.declared_changes.dedup();
        Ok(fix)
    }
}

/// A `homeManagerConfiguration { ... }` call of a standalone configuration.
struct Site {
    /// The argument set.
    arg: SyntaxNode,
    /// Module lists that reach this call: its own `modules`, and for calls in
    /// a helper, the `modules` given at the helper's call sites.
    module_lists: Vec<SyntaxNode>,
    /// "homeConfigurations.alice" or "helper `mkHome`", for the summary.
    describe: String,
    /// The outputs it builds.
    declared: Vec<String>,
}

/// Every direct `homeManagerConfiguration` call that builds an entry of
/// `homeConfigurations`: in its value, or in a local helper it calls.
fn builder_sites(flake: &Flake) -> Vec<Site> {
    let Some(outputs) = &flake.outputs else {
        return Vec::new();
    };
    let home: Vec<SyntaxNode> = outputs
        .defs_of("homeConfigurations")
        .filter_map(|d| d.value.clone())
        .collect();
    if home.is_empty() {
        return Vec::new();
    }
    let configurations: Vec<_> = flake
        .configurations()
        .into_iter()
        .filter(|c| c.output == "homeConfigurations")
        .collect();
    let roots: Vec<TextRange> = home.iter().map(|v| v.text_range()).collect();
    let helpers = flake.scope.reachable(&roots, |b| {
        matches!(
            flake.scope.binders[b].kind,
            BinderKind::Let | BinderKind::Rec
        )
    });
    let mut areas: Vec<(SyntaxNode, Option<usize>)> =
        home.iter().map(|v| (v.clone(), None)).collect();
    for &b in &helpers {
        for e in &flake.scope.binders[b].entries {
            if let Some(v) = attr_value(e) {
                areas.push((v, Some(b)));
            }
        }
    }
    let mut sites: Vec<Site> = Vec::new();
    let mut seen: Vec<TextRange> = Vec::new();
    for (area, helper) in areas {
        for app in area
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_APPLY)
        {
            let Some(call) = flake.builder_call(&app, BUILDER, &[]) else {
                continue;
            };
            if !matches!(call.via, Via::Direct(_)) || call.arg.kind() != SyntaxKind::NODE_ATTR_SET {
                continue;
            }
            if seen.contains(&call.arg.text_range()) {
                continue;
            }
            seen.push(call.arg.text_range());
            let mut module_lists: Vec<SyntaxNode> = syntax::entry_values(&call.arg, "modules");
            let (describe, declared) = match helper {
                None => {
                    let names: Vec<String> = configurations
                        .iter()
                        .filter(|c| c.value.text_range().contains_range(app.text_range()))
                        .map(|c| {
                            format!(
                                "homeConfigurations.{}",
                                c.name.clone().unwrap_or_else(|| "<dynamic>".into())
                            )
                        })
                        .collect();
                    let describe = names
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "homeConfigurations".into());
                    let declared =
                        if names.iter().any(|n| n.ends_with("<dynamic>")) || names.is_empty() {
                            vec!["homeConfigurations".to_string()]
                        } else {
                            names
                        };
                    (describe, declared)
                }
                Some(b) => {
                    let name = flake.scope.binders[b].name.clone();
                    let users: Vec<_> = configurations
                        .iter()
                        .filter(|c| {
                            c.call.as_ref().is_some_and(
                                |k| matches!(&k.via, Via::Helper { binder, .. } if *binder == b),
                            )
                        })
                        .collect();
                    for u in &users {
                        if let Some(k) = &u.call {
                            if k.arg.kind() == SyntaxKind::NODE_ATTR_SET {
                                module_lists.extend(syntax::entry_values(&k.arg, "modules"));
                            }
                        }
                    }
                    let mut declared: Vec<String> = users
                        .iter()
                        .filter_map(|c| c.name.clone())
                        .map(|n| format!("homeConfigurations.{n}"))
                        .collect();
                    if declared.is_empty() || users.iter().any(|c| c.name.is_none()) {
                        declared = vec!["homeConfigurations".into()];
                    }
                    (format!("the helper `{name}`"), declared)
                }
            };
            sites.push(Site {
                arg: call.arg,
                module_lists,
                describe,
                declared,
            });
        }
    }
    sites
}

/// One special argument: `osConfig = ...;` inside `extraSpecialArgs`, or
/// `extraSpecialArgs.osConfig = ...;`, or a name of `inherit` there.
struct SpecialArg {
    name: String,
    /// The `NODE_ATTRPATH_VALUE` or `NODE_INHERIT` holding it.
    entry: SyntaxNode,
    /// The attribute (for `inherit`, the name inside it).
    attr: Option<SyntaxNode>,
    value: SyntaxNode,
}

fn special_args(arg: &SyntaxNode) -> Vec<SpecialArg> {
    let mut out = Vec::new();
    for (entry, path, value) in syntax::static_entries(arg) {
        match path.as_slice() {
            [esa, name] if esa == "extraSpecialArgs" => out.push(SpecialArg {
                name: name.clone(),
                entry: entry.clone(),
                attr: None,
                value,
            }),
            [esa] if esa == "extraSpecialArgs" => {
                let set = unparen(value);
                if set.kind() != SyntaxKind::NODE_ATTR_SET {
                    continue;
                }
                for inner in set.children() {
                    match inner.kind() {
                        SyntaxKind::NODE_ATTRPATH_VALUE => {
                            let (Some(p), Some(v)) = (attrpath_names(&inner), attr_value(&inner))
                            else {
                                continue;
                            };
                            if p.len() == 1 {
                                out.push(SpecialArg {
                                    name: p[0].clone(),
                                    entry: inner.clone(),
                                    attr: None,
                                    value: v,
                                });
                            }
                        }
                        SyntaxKind::NODE_INHERIT => {
                            // `inherit osConfig;` reads a binding; `inherit (x) osConfig;` reads x.
                            let from = inner
                                .children()
                                .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM);
                            for attr in inner
                                .children()
                                .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                            {
                                let Some(name) = static_attr_name(&attr) else {
                                    continue;
                                };
                                let value = match &from {
                                    Some(f) => f.clone(),
                                    None => attr.clone(),
                                };
                                out.push(SpecialArg {
                                    name,
                                    entry: inner.clone(),
                                    attr: Some(attr),
                                    value,
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `node` reads a NixOS configuration: it selects
/// `nixosConfigurations` (from `self`, `outputs`, anything), refers to a
/// `rec` sibling of that name, or uses a local binding that does.
fn reads_nixos(flake: &Flake, node: &SyntaxNode, visiting: &mut BTreeSet<usize>) -> bool {
    for n in node.descendants() {
        match n.kind() {
            SyntaxKind::NODE_ATTRPATH
                if n.children()
                    .any(|a| static_attr_name(&a).as_deref() == Some("nixosConfigurations")) =>
            {
                return true;
            }
            SyntaxKind::NODE_IDENT
                if n.parent()
                    .is_some_and(|p| p.kind() != SyntaxKind::NODE_ATTRPATH) =>
            {
                let Some(r) = flake.scope.refs.iter().find(|r| r.range == n.text_range()) else {
                    continue;
                };
                let Some(b) = r.binder else { continue };
                let binder = &flake.scope.binders[b];
                if binder.name == "nixosConfigurations" && binder.kind == BinderKind::Rec {
                    return true;
                }
                if matches!(binder.kind, BinderKind::Let | BinderKind::Rec) && visiting.insert(b) {
                    for e in binder.entries.clone() {
                        if reads_nixos(flake, &e, visiting) {
                            return true;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// The range to delete for a special argument.
fn arg_removal(arg: &SpecialArg, text: &str) -> TextRange {
    let names = arg
        .entry
        .children()
        .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
        .count();
    let range = match &arg.attr {
        // One name of several in an `inherit`: just that name.
        Some(attr) if names > 1 => attr.text_range(),
        // The entry with its comments (and, mid-line, the blanks before it).
        _ => attached_range(&arg.entry, text),
    };
    removal_range(range, text)
}

/// A place where a Home Manager module reads the argument.
struct Read {
    location: Location,
    what: String,
    /// It would fail without the argument.
    breaking: bool,
}

/// The reads of `names` in the module expression `top` (a function of its arguments).
fn module_reads(
    top: &SyntaxNode,
    scope: &ScopeIndex,
    file: &ParsedFile,
    path: &Path,
    names: &BTreeSet<String>,
) -> Vec<Read> {
    let mut out = Vec::new();
    let lambda = unparen(top.clone());
    if lambda.kind() != SyntaxKind::NODE_LAMBDA {
        return out;
    }
    let Some(pattern) = lambda
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)
    else {
        return out;
    };
    let loc = |r: TextRange| file.lines.location(path, r.start());
    for part in pattern.children() {
        let Some(ident) = part.children().find(|c| c.kind() == SyntaxKind::NODE_IDENT) else {
            continue;
        };
        let name = ident.text().to_string();
        let binder = scope
            .binders
            .iter()
            .position(|b| b.name_range == ident.text_range());
        match part.kind() {
            SyntaxKind::NODE_PAT_ENTRY if names.contains(&name) => {
                let has_default = part.children().count() > 1;
                out.push(Read {
                    location: loc(ident.text_range()),
                    what: if has_default {
                        format!("`{name} ? ...` formal with a default")
                    } else {
                        format!("`{name}` formal without a default (the module cannot be called without it)")
                    },
                    breaking: !has_default,
                });
                let Some(b) = binder else { continue };
                for r in scope.uses_of(b) {
                    let Some(node) = file
                        .root
                        .covering_element(r.range)
                        .into_node()
                        .or_else(|| file.root.covering_element(r.range).parent())
                    else {
                        continue;
                    };
                    let guarded = has_default && is_guarded(&node, &name);
                    let bare_null_check = is_null_comparison(&node);
                    if bare_null_check {
                        continue;
                    }
                    out.push(Read {
                        location: loc(r.range),
                        what: format!("use of `{}`", use_text(&node)),
                        breaking: !has_default || !guarded,
                    });
                }
            }
            SyntaxKind::NODE_PAT_BIND => {
                // `{ ... }@args: args.osConfig`
                let Some(b) = binder else { continue };
                for r in scope.uses_of(b) {
                    let el = file.root.covering_element(r.range);
                    let Some(ident_node) = el
                        .into_node()
                        .or_else(|| file.root.covering_element(r.range).parent())
                    else {
                        continue;
                    };
                    let Some(select) = ident_node
                        .parent()
                        .filter(|p| p.kind() == SyntaxKind::NODE_SELECT)
                    else {
                        continue;
                    };
                    let first = select
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                        .and_then(|p| p.children().next())
                        .and_then(|a| static_attr_name(&a));
                    if first.as_ref().is_some_and(|f| names.contains(f)) {
                        let has_or = select
                            .children_with_tokens()
                            .any(|t| t.kind() == SyntaxKind::TOKEN_OR);
                        out.push(Read {
                            location: loc(r.range),
                            what: format!("use of `{}`", select.text()),
                            breaking: !has_or && !is_guarded(&select, &name),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The expression a use stands in: the whole `osConfig.a.b` select when there is one.
fn use_text(ident: &SyntaxNode) -> String {
    match ident
        .parent()
        .filter(|p| p.kind() == SyntaxKind::NODE_SELECT)
    {
        Some(select) => select.text().to_string(),
        None => ident.text().to_string(),
    }
}

/// `osConfig == null` / `osConfig != null`: the guard itself.
fn is_null_comparison(ident: &SyntaxNode) -> bool {
    ident.parent().is_some_and(|p| {
        p.kind() == SyntaxKind::NODE_BIN_OP
            && p.children_with_tokens().any(|t| {
                matches!(
                    t.kind(),
                    SyntaxKind::TOKEN_EQUAL | SyntaxKind::TOKEN_NOT_EQUAL
                )
            })
            && p.children()
                .any(|c| c.kind() == SyntaxKind::NODE_IDENT && c.text() == "null")
    })
}

/// Whether a use sits where the module checked the argument first: a
/// `select or default`, a `?` test, or the branch of an `if`, `mkIf`,
/// `optional...` or `&&`/`||` whose condition mentions the argument.
fn is_guarded(node: &SyntaxNode, name: &str) -> bool {
    let mentions = |n: &SyntaxNode| {
        n.descendants()
            .any(|d| d.kind() == SyntaxKind::NODE_IDENT && d.text() == name)
    };
    let mut child = node.clone();
    for anc in node.ancestors().skip(1) {
        match anc.kind() {
            SyntaxKind::NODE_SELECT
                if anc
                    .children_with_tokens()
                    .any(|t| t.kind() == SyntaxKind::TOKEN_OR) =>
            {
                return true
            }
            SyntaxKind::NODE_HAS_ATTR => return true,
            SyntaxKind::NODE_IF_ELSE => {
                let cond = anc.children().next();
                if cond.as_ref().is_some_and(|c| c != &child && mentions(c)) {
                    return true;
                }
            }
            SyntaxKind::NODE_BIN_OP => {
                let logical = anc.children_with_tokens().any(|t| {
                    matches!(
                        t.kind(),
                        SyntaxKind::TOKEN_AND_AND
                            | SyntaxKind::TOKEN_OR_OR
                            | SyntaxKind::TOKEN_IMPLICATION
                    )
                });
                let lhs = anc.children().next();
                if logical && lhs.as_ref().is_some_and(|l| l != &child && mentions(l)) {
                    return true;
                }
            }
            SyntaxKind::NODE_APPLY => {
                // `lib.mkIf (osConfig != null) { ... }`: an earlier argument is the condition.
                let mut f = anc.first_child();
                while let Some(inner) = f.clone().filter(|x| x.kind() == SyntaxKind::NODE_APPLY) {
                    if inner
                        .children()
                        .nth(1)
                        .is_some_and(|arg| mentions(&arg) && arg != child)
                    {
                        return true;
                    }
                    f = inner.first_child();
                }
            }
            SyntaxKind::NODE_LAMBDA => return false,
            _ => {}
        }
        child = anc;
    }
    false
}

fn join(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
