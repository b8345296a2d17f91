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
use crate::flake::eval::{self, FileId, Lookup, Unknown, Val, Whnf};
use crate::flake::{Flake, ModuleItem, Via};
use crate::modules::{self, Kind, Module};
use crate::relocate::{attached_range, let_removals, removal_range};
use crate::scope::{BinderKind, ScopeIndex};
use crate::syntax::edit::Edit;
use crate::syntax::{self, make, static_attr_name, unparen, ParsedFile};
use crate::verify::normalize_comment;

pub struct DropOsconfigfor;

const NAME: &str = "drop-osconfigfor";

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
        let (sites, unfollowed) = builder_sites(flake);
        if sites.is_empty() && unfollowed.is_empty() {
            return Ok(fix);
        }

        // The special arguments that read a NixOS configuration, per call.
        let mut found: Vec<(Site, Vec<SpecialArg>)> = Vec::new();
        let mut unseen: Vec<String> = Vec::new();
        for site in sites {
            let args = match special_args(flake, &site) {
                Ok(args) => args,
                Err(u) => {
                    unseen.push(format!(
                        "  {}: the special arguments of {} cannot be followed: {}",
                        flake.location_of_unknown(&u),
                        site.describe,
                        u.why
                    ));
                    continue;
                }
            };
            let nixos: Vec<SpecialArg> = args
                .into_iter()
                .filter(|a| reads_nixos(flake, &a.value, &mut BTreeSet::new()))
                .collect();
            if !nixos.is_empty() {
                found.push((site, nixos));
            }
        }
        for (label, u) in &unfollowed {
            fix.notes.push(Note {
                location: Some(flake.location_of_unknown(u)),
                message: format!(
                    "{label} cannot be followed ({}); it is left as it is",
                    u.why
                ),
            });
        }
        if found.is_empty() {
            if !unseen.is_empty() && !cx.options.allow_breaking {
                return Err(refusal(flake, &unseen));
            }
            return Ok(fix);
        }

        // Who reads them: every Home Manager module of each affected configuration.
        let mut reads: Vec<Read> = Vec::new();
        for (site, args) in &found {
            let names: BTreeSet<String> = args.iter().map(|a| a.name.clone()).collect();
            let mut roots: Vec<(Kind, Module)> = Vec::new();
            for item in &site.items {
                match (&item.module, &item.unknown) {
                    (_, Some(u)) => unseen.push(format!(
                        "  {}: a Home Manager module of {} cannot be followed: {}",
                        flake.location_of_unknown(u),
                        site.describe,
                        u.why
                    )),
                    (Module::Opaque { location, text }, None) => fix.notes.push(Note {
                        location: Some(location.clone()),
                        message: format!(
                            "`{text}` comes from an input and is written for Home Manager on its own; its reads of {} are not checked",
                            join(&names)
                        ),
                    }),
                    (Module::File(path), None) => {
                        // A module path must name a file (a directory: its default.nix).
                        let file = if cx.ws.is_dir(path) {
                            path.join("default.nix")
                        } else {
                            path.clone()
                        };
                        if cx.ws.exists(&file) && !cx.ws.is_dir(&file) {
                            roots.push((Kind::Home, Module::File(path.clone())));
                        } else {
                            unseen.push(format!(
                                "  {}: the Home Manager module {} does not exist (or is not a file)",
                                flake.location_of(&item.written),
                                file.display()
                            ));
                        }
                    }
                    (m, None) => roots.push((Kind::Home, m.clone())),
                }
            }
            let graph = modules::follow(cx.ws, roots);
            for (_, location, text) in &graph.opaque {
                if is_input_module(flake, text) {
                    fix.notes.push(Note {
                        location: Some(location.clone()),
                        message: format!("`{text}` comes from an input and is written for Home Manager on its own; its reads of {} are not checked", join(&names)),
                    });
                } else {
                    unseen.push(format!(
                        "  {location}: the Home Manager module `{text}` cannot be followed"
                    ));
                }
            }
            for (_, location, path) in &graph.missing {
                unseen.push(format!(
                    "  {location}: the Home Manager module {} does not exist (or is not a file)",
                    path.display()
                ));
            }
            for ((_, path), file) in &graph.files {
                match &file.parsed {
                    Ok(parsed) => {
                        if let Some(top) = parsed.root.first_child() {
                            let scope = ScopeIndex::build(&parsed.root);
                            reads.extend(module_reads(&top, &scope, parsed, path, &names));
                        }
                    }
                    Err(e) => unseen.push(format!(
                        "  {}: the Home Manager module cannot be checked: {e}",
                        Location::start_of(path.clone())
                    )),
                }
            }
            for (_, file, node) in &graph.inline {
                let loaded = program_file(flake, file);
                match loaded {
                    Some(id) => {
                        let src = flake.src(id);
                        reads.extend(module_reads(node, src.scope(), src.file(), file, &names));
                    }
                    None => match cx.ws.read(file) {
                        Ok(Some(text)) => match syntax::parse(file, &text) {
                            Ok(parsed) => {
                                if let Some(same) = parsed.root.descendants().find(|n| {
                                    n.text_range() == node.text_range() && n.kind() == node.kind()
                                }) {
                                    let scope = ScopeIndex::build(&parsed.root);
                                    reads
                                        .extend(module_reads(&same, &scope, &parsed, file, &names));
                                }
                            }
                            Err(e) => unseen.push(format!(
                                "  {}: the Home Manager module cannot be checked: {e}",
                                Location::start_of(file.clone())
                            )),
                        },
                        Ok(None) => {}
                        Err(e) => unseen.push(format!(
                            "  {}: the Home Manager module cannot be read: {e}",
                            Location::start_of(file.clone())
                        )),
                    },
                }
            }
        }
        if !unseen.is_empty() && !cx.options.allow_breaking {
            return Err(refusal(flake, &unseen));
        }
        for u in &unseen {
            fix.notes.push(Note {
                location: None,
                message: format!("warning: not checked (--allow-breaking):\n{u}"),
            });
        }
        reads.sort_by(|a, b| a.location.cmp(&b.location));
        reads.dedup_by(|a, b| a.location == b.location);
        let breaking: Vec<&Read> = reads.iter().filter(|r| r.breaking).collect();
        if !breaking.is_empty() && !cx.options.allow_breaking {
            let list: Vec<String> = breaking
                .iter()
                .map(|r| format!("  {}: {}", r.location, r.what))
                .collect();
            let first = &found[0].1[0].entry;
            return Err(Error::Refused {
                codemod: NAME.into(),
                location: Some(flake.location_of(first)),
                message: format!(
                    "Home Manager modules read the argument without a guard and would fail once it is gone (use --allow-breaking to apply anyway):\n{}",
                    list.join("\n")
                ),
            });
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

        for (site, args) in &found {
            for arg in args {
                fix.actions.push(format!(
                    "removed `{}` ({}) from {}",
                    arg.name,
                    flake.location_of(&arg.entry),
                    site.describe
                ));
            }
            fix.declared_changes.extend(site.declared.iter().cloned());
        }
        // Remove the special arguments; a set they leave empty becomes `{ }`.
        // Each goes from the file it is written in.
        let all_args: Vec<&SpecialArg> = found.iter().flat_map(|(_, a)| a.iter()).collect();
        let mut files: Vec<FileId> = all_args.iter().map(|a| a.entry.file).collect();
        files.sort_unstable();
        files.dedup();
        for file in files {
            let src = flake.src(file);
            let path = src.path().to_path_buf();
            let text = &src.file().text;
            let args: Vec<&SpecialArg> = all_args
                .iter()
                .copied()
                .filter(|a| a.entry.file == file)
                .collect();
            let mut removed: Vec<TextRange> = Vec::new();
            let mut emptied: Vec<SyntaxNode> = Vec::new();
            for arg in &args {
                let Some(set) = arg
                    .entry
                    .node
                    .parent()
                    .filter(|p| p.kind() == SyntaxKind::NODE_ATTR_SET)
                else {
                    continue;
                };
                if found
                    .iter()
                    .any(|(site, _)| site.arg.file == file && site.arg.node == set)
                {
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
                        let gone = args.iter().filter(|a| a.entry.node == c).count();
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
                    path.clone(),
                    Edit::replace(set.text_range(), make::empty_attrset()),
                )?;
                removed.push(set.text_range());
            }
            for arg in &args {
                let range = arg_removal(arg, text);
                let in_emptied = emptied.iter().any(|s| s.text_range().contains_range(range));
                if !in_emptied && !removed.contains(&range) {
                    removed.push(range);
                    fix.edit(NAME, path.clone(), Edit::delete(range))?;
                }
            }
            // Then the helpers only those arguments used (osConfigFor, currentSystem...).
            let scope = src.scope();
            let unused =
                scope.exclusively_used(&removed, |b| scope.binders[b].kind == BinderKind::Let);
            let unused: Vec<usize> = unused.into_iter().collect();
            for range in let_removals(text, scope, &unused) {
                fix.edit(NAME, path.clone(), Edit::delete(range))?;
                removed.push(range);
            }
            if !unused.is_empty() {
                let names: Vec<String> = unused
                    .iter()
                    .map(|&b| format!("`{}`", scope.binders[b].name))
                    .collect();
                fix.actions
                    .push(format!("removed {}, now unused", names.join(", ")));
            }
            for tok in src
                .file()
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
        }
        fix.declared_changes.sort();
        fix.declared_changes.dedup();
        Ok(fix)
    }
}

/// The refusal for what could not be seen.
fn refusal(flake: &Flake, unseen: &[String]) -> Error {
    Error::Refused {
        codemod: NAME.into(),
        location: Some(flake.location(0.into())),
        message: format!(
            "cannot see every Home Manager module of the configurations it would change, so it cannot tell whether they read the argument (use --allow-breaking to apply anyway):\n{}",
            unseen.join("\n")
        ),
    }
}

/// Whether a module reference that the module graph cannot follow comes
/// from an input (`inputs.x.homeManagerModules.y`, `nix-index.hmModules.y`).
fn is_input_module(flake: &Flake, text: &str) -> bool {
    let head = text.split(['.', ' ']).next().unwrap_or_default();
    head == "inputs" || flake.inputs.iter().any(|i| i.name == head)
}

/// The program file loaded from `path`, if it is one.
fn program_file(flake: &Flake, path: &Path) -> Option<FileId> {
    flake
        .program_files()
        .into_iter()
        .find(|&id| flake.src(id).path() == path)
}

/// A `homeManagerConfiguration { ... }` call that builds standalone
/// configurations, wherever it is written.
struct Site {
    /// The argument of the builder call.
    arg: Val,
    /// The module-list items of every configuration it builds, followed.
    items: Vec<ModuleItem>,
    /// The calls' arguments as seen from each configuration (with its bindings).
    args: Vec<Val>,
    /// "homeConfigurations.alice" or "the helper `mkHome`", for the summary.
    describe: String,
    /// The outputs it builds.
    declared: Vec<String>,
}

/// Every builder call that builds an entry of `homeConfigurations`, through
/// helpers, imports and generators; and the configurations that cannot be
/// followed.
fn builder_sites(flake: &Flake) -> (Vec<Site>, Vec<(String, Unknown)>) {
    let mut sites: Vec<Site> = Vec::new();
    let mut unfollowed = Vec::new();
    for conf in flake.configurations() {
        if conf.output != "homeConfigurations" {
            continue;
        }
        let label = format!(
            "homeConfigurations.{}",
            conf.name.clone().unwrap_or_else(|| "<dynamic>".into())
        );
        let Some(call) = &conf.call else {
            if let Some(u) = conf.unknown {
                unfollowed.push((label, u));
            }
            continue;
        };
        let key = (call.call.file, call.call.node.text_range());
        let idx = match sites.iter().position(|s| {
            (s.arg.file, s.arg.node.text_range()) == (call.arg.file, call.arg.node.text_range())
                || s.args.iter().any(|a| (a.file, a.node.text_range()) == key)
        }) {
            Some(i) => i,
            None => {
                let describe = match &call.via {
                    Via::Direct(_) => label.clone(),
                    Via::Helper { name, .. } => format!("the helper `{name}`"),
                };
                sites.push(Site {
                    arg: call.arg.clone(),
                    items: Vec::new(),
                    args: Vec::new(),
                    describe,
                    declared: Vec::new(),
                });
                sites.len() - 1
            }
        };
        let site = &mut sites[idx];
        site.items.extend(flake.module_items(call));
        site.args.push(call.arg.clone());
        if conf.name.is_some() {
            site.declared.push(label);
        } else {
            site.declared.push("homeConfigurations".into());
        }
    }
    (sites, unfollowed)
}

/// One special argument: `osConfig = ...;` inside `extraSpecialArgs`, or
/// `extraSpecialArgs.osConfig = ...;`, or a name of `inherit` there,
/// wherever it is written.
struct SpecialArg {
    name: String,
    /// The `NODE_ATTRPATH_VALUE` or `NODE_INHERIT` holding it.
    entry: Val,
    /// The attribute (for `inherit`, the name inside it).
    attr: Option<SyntaxNode>,
    value: Val,
}

/// The special arguments the site's call passes, as seen from each
/// configuration it builds (one helper may be called with several).
fn special_args(flake: &Flake, site: &Site) -> Result<Vec<SpecialArg>, Unknown> {
    let mut out: Vec<SpecialArg> = Vec::new();
    for arg in &site.args {
        let arg = flake.resolve(arg);
        let Some(esa) = flake.get(&arg, "extraSpecialArgs") else {
            continue;
        };
        for e in flake.entries(&esa)? {
            let Some(name) = e.key.name().map(str::to_string) else {
                continue;
            };
            let value = match &e.value {
                Lookup::Val(v) => v.clone(),
                _ => e.entry.clone(),
            };
            let attr = (e.entry.node.kind() == SyntaxKind::NODE_INHERIT)
                .then(|| {
                    e.entry.node.children().find(|c| {
                        c.kind() != SyntaxKind::NODE_INHERIT_FROM
                            && static_attr_name(c).as_deref() == Some(name.as_str())
                    })
                })
                .flatten();
            // `inherit (x) osConfig;` reads x.
            let value = match (
                &attr,
                e.entry
                    .node
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM),
            ) {
                (Some(_), Some(from)) => Val {
                    node: from,
                    ..e.entry.clone()
                },
                _ => value,
            };
            let same = |o: &SpecialArg| {
                o.entry.file == e.entry.file && o.entry.node == e.entry.node && o.name == name
            };
            if !out.iter().any(same) {
                out.push(SpecialArg {
                    name,
                    entry: e.entry.clone(),
                    attr,
                    value,
                });
            }
        }
    }
    Ok(out)
}

/// Whether `v` reads a NixOS configuration: it selects
/// `nixosConfigurations` (from `self`, `outputs`, anything), refers to a
/// `rec` sibling of that name, or uses a binding that does, in any file,
/// through helper arguments too.
fn reads_nixos(flake: &Flake, v: &Val, visiting: &mut BTreeSet<(FileId, u32, u32)>) -> bool {
    if !visiting.insert((
        v.file,
        u32::from(v.node.text_range().start()),
        u32::from(v.node.text_range().end()),
    )) {
        return false;
    }
    let src = flake.src(v.file);
    for n in std::iter::once(v.node.clone()).chain(v.node.descendants()) {
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
                let Some(r) = src.scope().reference_at(n.text_range()) else {
                    continue;
                };
                let Some(b) = r.binder else { continue };
                let binder = &src.scope().binders[b];
                if binder.name == "nixosConfigurations" && binder.kind == BinderKind::Rec {
                    return true;
                }
                // Follow the name to what it stands for (a binding, a helper argument).
                let ident = Val {
                    file: v.file,
                    node: n.clone(),
                    env: v.env.clone(),
                };
                let mut hops = Vec::new();
                let target = flake.resolve_traced(&ident, &mut hops);
                let next: Vec<Val> = match &target {
                    Whnf::Call { call, .. } => vec![call.clone()],
                    Whnf::Lambda(l) => vec![l.clone()],
                    Whnf::Attrs(parts) => parts
                        .iter()
                        .filter_map(|p| match p {
                            eval::Part::Set { set, .. } => Some(set.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                if matches!(binder.kind, BinderKind::Let | BinderKind::Rec) {
                    for e in binder.entries.clone() {
                        let ev = Val {
                            file: v.file,
                            node: e,
                            env: v.env.clone(),
                        };
                        if reads_nixos(flake, &ev, visiting) {
                            return true;
                        }
                    }
                }
                for t in next {
                    if reads_nixos(flake, &t, visiting) {
                        return true;
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
        .node
        .children()
        .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
        .count();
    let range = match &arg.attr {
        // One name of several in an `inherit`: just that name.
        Some(attr) if names > 1 => attr.text_range(),
        // The entry with its comments (and, mid-line, the blanks before it).
        _ => attached_range(&arg.entry.node, text),
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
