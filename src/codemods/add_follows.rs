//! `add-follows`: make inputs share the flake's nixpkgs (and, with
//! `--all-shared`, the other inputs flake.lock shows duplicated), and
//! rewrite flake.lock offline as `nix flake lock` would.
//!
//! See `codemods/add-follows/README.md` for what it does, when it refuses
//! and what it may change.

use std::collections::BTreeMap;

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::{Applicability, Codemod, Context, Fix, Note};
use crate::error::{Error, Location};
use crate::flake::string_literal;
use crate::lock::{self, Lock, NixpkgsUse};
use crate::syntax::edit::Edit;
use crate::syntax::indent::indent_unit;
use crate::syntax::{self, make, unparen};

pub struct AddFollows;

const NAME: &str = "add-follows";

impl Codemod for AddFollows {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "Make inputs follow the flake's nixpkgs (and shared inputs), with flake.lock updated offline"
    }
    fn applicability(&self) -> Applicability {
        Applicability::Unsafe
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/add-follows/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let lock_path = flake.dir().join("flake.lock");
        let Some(lock_text) = cx.ws.read(&lock_path)? else {
            if cx.options.inputs.is_empty() {
                fix.notes.push(Note {
                    location: None,
                    message: format!(
                        "{} is missing, so nothing shows which inputs bring their own nixpkgs; run `nix flake lock` first",
                        lock_path.display()
                    ),
                });
                return Ok(fix);
            }
            return Err(cx.refuse(
                NAME,
                0.into(),
                format!(
                    "{} is missing: run `nix flake lock` first",
                    lock_path.display()
                ),
            ));
        };
        let lock = Lock::parse(&lock_text).map_err(|e| Error::Refused {
            codemod: NAME.into(),
            location: Some(Location::start_of(lock_path.clone())),
            message: format!("{} cannot be read: {e}", lock_path.display()),
        })?;
        let follows = select(cx, &lock, &mut fix.notes)?;
        if follows.is_empty() {
            return Ok(fix);
        }

        let top = syntax::top_set(&flake.file.root)
            .ok_or_else(|| cx.refuse(NAME, 0.into(), "flake.nix is not an attribute set"))?;
        let declared = syntax::static_leaves(&top);
        let text = flake.file.text.as_str();
        let unit = indent_unit(text);
        let uses_set_form = input_sets(&top).next().is_some();

        // The bindings to add, grouped by the root input they belong to.
        let mut by_input: BTreeMap<String, Vec<(Vec<String>, String)>> = BTreeMap::new();
        let mut lock_changes = Vec::new();
        for f in &follows {
            let attr = attr_path(&f.path);
            // `inputs.x.inputs.nixpkgs.url = ...`: an override flake.nix chose.
            let input_attr = &attr[..attr.len() - 1];
            let overridden = declared.iter().find(|(p, _)| {
                p.len() > input_attr.len() && p.starts_with(input_attr) && *p != attr
            });
            if let Some((p, value)) = overridden {
                fix.notes.push(cx.note(
                    value.text_range().start(),
                    format!(
                        "flake.nix sets `{}` for {}: it is overridden on purpose and left alone",
                        p.join("."),
                        f.path.join("/")
                    ),
                ));
                continue;
            }
            match declared.iter().find(|(p, _)| *p == attr) {
                Some((_, value)) if string_literal(value).as_deref() == Some(&f.target) => {
                    // flake.nix says it already; only flake.lock is behind.
                }
                Some((_, value)) => {
                    fix.notes.push(cx.note(
                        value.text_range().start(),
                        format!(
                            "flake.nix already sets `{}` to `{}`, which flake.lock does not show: run `nix flake lock`; {} is left alone",
                            attr.join("."),
                            value.text(),
                            f.path.join("/")
                        ),
                    ));
                    continue;
                }
                None => by_input
                    .entry(f.path[0].clone())
                    .or_default()
                    .push((attr[2..].to_vec(), f.target.clone())),
            }
            lock_changes.push((f.path.clone(), vec![f.target.clone()]));
            let from = lock.revision(&f.node);
            let to = lock.revision(&f.target_node);
            fix.actions.push(format!(
                "{} follows {}: {from} collapses into {to}",
                f.path.join("/"),
                f.target
            ));
        }

        for (input, bindings) in &by_input {
            let edits = match convert_to_set(text, &top, &declared, input, bindings, &unit) {
                Some(edit) if uses_set_form => vec![edit],
                _ => {
                    let mut edits = Vec::new();
                    for (rel, target) in bindings {
                        let mut path = vec!["inputs".to_string(), input.clone()];
                        path.extend(rel.iter().cloned());
                        let edit = insertion(text, &top, &path, target).map_err(|why| {
                            cx.refuse(
                                NAME,
                                flake
                                    .inputs
                                    .iter()
                                    .find(|i| &i.name == input)
                                    .map_or(0.into(), |i| i.range.start()),
                                format!("cannot add the follows of input {input}: {why}"),
                            )
                        })?;
                        edits.push(edit);
                    }
                    edits
                }
            };
            for edit in edits {
                fix.edit(NAME, flake.path.clone(), edit)?;
            }
        }

        if lock_changes.is_empty() {
            return Ok(fix);
        }
        let new_lock =
            lock::rewrite_follows(&lock_text, &lock_changes).map_err(|e| Error::Refused {
                codemod: NAME.into(),
                location: Some(Location::start_of(lock_path.clone())),
                message: format!("cannot rewrite {}: {e}", lock_path.display()),
            })?;
        if new_lock != lock_text {
            let all = TextRange::up_to(TextSize::of(lock_text.as_str()));
            fix.edit(NAME, lock_path, Edit::replace(all, new_lock))?;
        }
        if !fix.is_empty() {
            // Packages now come from another revision: any output may change.
            fix.declared_changes = flake.output_names().into_iter().collect();
        }
        Ok(fix)
    }
}

/// One input to make follow a root input.
#[derive(Debug)]
struct Follow {
    /// Input names from the root, e.g. `["agenix", "nixpkgs"]`.
    path: Vec<String>,
    /// The node it has now.
    node: String,
    /// The root input it will follow.
    target: String,
    /// The node of that root input.
    target_node: String,
}

/// The inputs to make follow, from flake.lock and the options; what is left
/// alone is a note.
fn select(cx: &Context, lock: &Lock, notes: &mut Vec<Note>) -> Result<Vec<Follow>, Error> {
    let flake = cx.flake;
    let explicit = &cx.options.inputs;
    let root_inputs = lock.root_inputs();
    for x in explicit {
        let Some(input) = flake.inputs.iter().find(|i| &i.name == x) else {
            return Err(cx.refuse(
                NAME,
                0.into(),
                format!("--input {x}: flake.nix has no input `{x}`"),
            ));
        };
        if !root_inputs.iter().any(|(n, _)| n == x) {
            return Err(cx.refuse(
                NAME,
                input.range.start(),
                format!("--input {x}: flake.lock does not lock `{x}`; it is out of date, run `nix flake lock`"),
            ));
        }
    }
    let picked = |path: &[String]| explicit.is_empty() || explicit.contains(&path[0]);
    let declared = |path: &[String]| flake.inputs.iter().any(|i| i.name == path[0]);
    let at = |name: &str| {
        flake
            .inputs
            .iter()
            .find(|i| i.name == name)
            .map_or(0.into(), |i| i.range.start())
    };
    let mut out: Vec<Follow> = Vec::new();
    let extras: Vec<_> = lock
        .extra_nixpkgs()
        .into_iter()
        .filter(|e| picked(&e.path) && declared(&e.path))
        .collect();
    match lock.own_nixpkgs() {
        None if !extras.is_empty() => notes.push(Note {
            location: None,
            message: "the flake has no nixpkgs input of its own for the others to follow".into(),
        }),
        None => {}
        Some((own, own_node)) => {
            for e in extras {
                let path = e.path.join("/");
                let reason = lock.pin_reason(&e, Some(&own_node));
                if explicit.is_empty() {
                    if let Some(why) = reason {
                        notes.push(cx.note(
                            at(&e.path[0]),
                            format!(
                                "{path} (lock node {}) is pinned on purpose: {why}; it is left alone (`--input {}` makes it follow anyway)",
                                e.node, e.path[0]
                            ),
                        ));
                        continue;
                    }
                    if !lock.same_channel(&e.node, &own_node) {
                        notes.push(cx.note(
                            at(&e.path[0]),
                            format!(
                                "{path} (lock node {}) follows {}, while the flake's nixpkgs follows {}: it is left alone (check that {} works with the flake's nixpkgs, then `--input {}`)",
                                e.node,
                                lock.channel(&e.node),
                                lock.channel(&own_node),
                                e.path[0],
                                e.path[0]
                            ),
                        ));
                        continue;
                    }
                } else if let Some(why) = reason {
                    notes.push(cx.note(
                        at(&e.path[0]),
                        format!(
                            "{path} (lock node {}) looks pinned on purpose ({why}); it follows {own} because --input names {}",
                            e.node, e.path[0]
                        ),
                    ));
                }
                if !deep_ok(cx, &e.path, &e.node, notes) {
                    continue;
                }
                out.push(Follow {
                    path: e.path,
                    node: e.node,
                    target: own.clone(),
                    target_node: own_node.clone(),
                });
            }
        }
    }
    if cx.options.all_shared {
        let nodes: BTreeMap<String, String> = root_inputs
            .iter()
            .filter_map(|(n, node)| Some((n.clone(), node.clone()?)))
            .collect();
        for d in lock.duplicates() {
            if !picked(&d.path) || !declared(&d.path) {
                continue;
            }
            let Some(target_node) = nodes.get(&d.target) else {
                continue;
            };
            if !deep_ok(cx, &d.path, &d.node, notes) {
                continue;
            }
            out.push(Follow {
                path: d.path,
                node: d.node,
                target: d.target,
                target_node: target_node.clone(),
            });
        }
    }
    // An input below one that now follows goes with it.
    let paths: Vec<Vec<String>> = out.iter().map(|f| f.path.clone()).collect();
    out.retain(|f| {
        !paths
            .iter()
            .any(|p| p.len() < f.path.len() && f.path.starts_with(p))
    });
    for x in explicit {
        if out.iter().any(|f| &f.path[0] == x) {
            continue;
        }
        let why = match lock.nixpkgs_use(x) {
            Some(NixpkgsUse::Follows(p)) => format!("its nixpkgs already follows {}", p.join("/")),
            Some(NixpkgsUse::Shared(n)) => {
                format!("it already uses the flake's nixpkgs (lock node {n})")
            }
            Some(NixpkgsUse::IsNixpkgs) => "it is a nixpkgs itself".to_string(),
            _ => "it has no nixpkgs of its own".to_string(),
        };
        notes.push(cx.note(at(x), format!("--input {x}: nothing to do, {why}")));
    }
    Ok(out)
}

/// Whether to write the follows of an input more than two levels deep
/// (`tools/devshell/nixpkgs`): only when `--input` names it, because Nix
/// before the fix of deep overrides (NixOS/nix#13400, June 2025) takes
/// `inputs.tools.inputs.devshell.inputs.nixpkgs.follows` as an override of
/// `devshell` itself and looks `flake:devshell` up in the flake registry.
/// A note says so either way.
fn deep_ok(cx: &Context, path: &[String], node: &str, notes: &mut Vec<Note>) -> bool {
    if path.len() <= 2 {
        return true;
    }
    let at = cx
        .flake
        .inputs
        .iter()
        .find(|i| i.name == path[0])
        .map_or(0.into(), |i| i.range.start());
    let line = attr_path(path).join(".");
    let why = format!(
        "{} (lock node {node}) is {} levels deep: Nix before the fix of deep overrides (NixOS/nix#13400, June 2025) reads `{line}` as an override of `{}` and looks `flake:{}` up in the flake registry",
        path.join("/"),
        path.len(),
        path[1],
        path[1]
    );
    if cx.options.inputs.is_empty() {
        notes.push(cx.note(
            at,
            format!(
                "{why}; it is left alone (`--input {}` writes it anyway)",
                path[0]
            ),
        ));
        false
    } else {
        notes.push(cx.note(
            at,
            format!(
                "{why}; it is written because --input names {}: use a Nix that has the fix",
                path[0]
            ),
        ));
        true
    }
}

/// `inputs.a.inputs.b.follows` for the input path `[a, b]`.
fn attr_path(path: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for name in path {
        out.push("inputs".to_string());
        out.push(name.clone());
    }
    out.push("follows".to_string());
    out
}

/// The inputs written in the set form (`x = { url = ...; };` in `inputs =
/// { ... }`, or `inputs.x = { ... };`), by their entries.
fn input_sets(top: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> + '_ {
    syntax::static_entries(top).flat_map(|(entry, path, value)| {
        let value = unparen(value);
        match path.as_slice() {
            [i] if i == "inputs" && syntax::is_plain_set(&value) => syntax::static_entries(&value)
                .filter(|(_, p, v)| p.len() == 1 && syntax::is_plain_set(&unparen(v.clone())))
                .map(|(e, _, _)| e)
                .collect::<Vec<_>>(),
            [i, _] if i == "inputs" && syntax::is_plain_set(&value) => vec![entry],
            _ => Vec::new(),
        }
    })
}

/// The edit that rewrites `x.url = "...";` (in `inputs = { ... }`, or
/// `inputs.x.url = "...";` at the top) into the set form with `bindings`
/// added, when that entry is the only one that declares input `x` and it
/// starts its line.
fn convert_to_set(
    text: &str,
    top: &SyntaxNode,
    declared: &[(Vec<String>, SyntaxNode)],
    input: &str,
    bindings: &[(Vec<String>, String)],
    unit: &str,
) -> Option<Edit> {
    let mentions = declared
        .iter()
        .filter(|(p, _)| p.len() > 1 && p[0] == "inputs" && p[1] == input)
        .count();
    if mentions != 1 {
        return None;
    }
    let mut found = None;
    for (entry, path, value) in syntax::static_entries(top) {
        match path.as_slice() {
            [i, x, u] if i == "inputs" && x == input && u == "url" => {
                found = Some((entry, vec![i.clone(), x.clone()], value));
            }
            [i] if i == "inputs" && syntax::is_plain_set(&unparen(value.clone())) => {
                for (e, p, v) in syntax::static_entries(&unparen(value)) {
                    if matches!(p.as_slice(), [x, u] if x == input && u == "url") {
                        found = Some((e, vec![input.to_string()], v));
                    }
                }
            }
            _ => {}
        }
    }
    let (entry, name, value) = found?;
    let start = usize::from(entry.text_range().start());
    if !syntax::starts_line(text, start)
        || entry
            .descendants_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        return None;
    }
    let indent = syntax::line_indent(text, start);
    let mut entries = vec![make::binding("url", &value.text().to_string())];
    entries.extend(
        bindings
            .iter()
            .map(|(rel, target)| make::follows(rel, target)),
    );
    Some(Edit::replace(
        entry.text_range(),
        make::set_binding(&name, &entries, indent, unit),
    ))
}

/// Where and how to add `path = "target";` to `set`, in the style of what
/// is there: inside the set an entry of `path` opens (`x = { ... };`), else
/// as a dotted path next to the last entry sharing the most of `path`
/// (`x.url = ...;`), else after the set's last entry.
fn insertion(text: &str, set: &SyntaxNode, path: &[String], target: &str) -> Result<Edit, String> {
    let entries: Vec<(SyntaxNode, Vec<String>, SyntaxNode)> = syntax::static_entries(set).collect();
    let common = |ep: &[String]| ep.iter().zip(path).take_while(|(a, b)| a == b).count();
    let longest = entries
        .iter()
        .map(|(_, ep, _)| common(ep))
        .max()
        .unwrap_or(0);
    for (_, ep, value) in &entries {
        if ep.len() < path.len() && path.starts_with(ep) {
            let value = unparen(value.clone());
            if !syntax::is_plain_set(&value) {
                return Err(format!(
                    "`{}` is not written as an attribute set",
                    ep.join(".")
                ));
            }
            // Into `inputs = { ... }` when the input is declared there, or
            // when nothing else is closer (not past `inputs.x.url` at the top).
            let rest = &path[ep.len()..];
            let declared_inside =
                syntax::static_entries(&value).any(|(_, p, _)| p.first() == rest.first());
            if declared_inside || longest <= ep.len() {
                return insertion(text, &value, rest, target);
            }
        }
    }
    let anchor = entries
        .iter()
        .filter(|(_, ep, _)| common(ep) > 0)
        .max_by_key(|(e, ep, _)| (common(ep), e.text_range().start()))
        .map(|(e, _, _)| e.clone())
        .or_else(|| {
            set.children()
                .filter(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .last()
        })
        .ok_or("the set it belongs in is empty")?;
    let binding = make::follows(path, target);
    let start = usize::from(anchor.text_range().start());
    let end = usize::from(anchor.text_range().end());
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let rest = text[end..line_end].trim();
    if rest.is_empty() || rest.starts_with('#') {
        let indent = syntax::line_indent(text, start);
        Ok(Edit::insert(
            TextSize::from(line_end as u32),
            format!("\n{indent}{binding}"),
        ))
    } else {
        Ok(Edit::insert(
            TextSize::from(end as u32),
            format!(" {binding}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Add `path = "nixpkgs";` to the flake `src` with [`insertion`].
    fn check(src: &str, path: &[&str], want: &str) {
        let root = rnix::Root::parse(src).syntax();
        let top = syntax::top_set(&root).unwrap();
        let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
        let edit = insertion(src, &top, &path, "nixpkgs").unwrap();
        let mut set = crate::syntax::edit::EditSet::default();
        set.add(edit).unwrap();
        assert_eq!(set.apply(src), want);
    }

    const FOLLOWS: &[&str] = &["inputs", "a", "inputs", "nixpkgs", "follows"];

    #[test]
    fn next_to_a_top_level_declaration_not_into_an_inputs_set_without_it() {
        check(
            "{\n  inputs = { nixpkgs.url = \"n\"; };\n  inputs.a.url = \"a\";\n  outputs = _: { };\n}\n",
            FOLLOWS,
            "{\n  inputs = { nixpkgs.url = \"n\"; };\n  inputs.a.url = \"a\";\n  inputs.a.inputs.nixpkgs.follows = \"nixpkgs\";\n  outputs = _: { };\n}\n",
        );
    }

    #[test]
    fn inside_a_top_level_set_and_after_a_trailing_comment() {
        check(
            "{\n  inputs.a = {\n    url = \"a\"; # pinned later\n  };\n}\n",
            FOLLOWS,
            "{\n  inputs.a = {\n    url = \"a\"; # pinned later\n    inputs.nixpkgs.follows = \"nixpkgs\";\n  };\n}\n",
        );
    }

    #[test]
    fn an_input_that_is_not_a_set_is_refused() {
        let src = "{ inputs.a = import ./a.nix; }";
        let root = rnix::Root::parse(src).syntax();
        let top = syntax::top_set(&root).unwrap();
        let path: Vec<String> = FOLLOWS.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            insertion(src, &top, &path, "nixpkgs").unwrap_err(),
            "`inputs.a` is not written as an attribute set"
        );
    }
}
