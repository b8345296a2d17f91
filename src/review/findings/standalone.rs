//! FR004: standalone Home Manager configurations that read a NixOS (or
//! nix-darwin) configuration, `self.nixosConfigurations.<host>.config` and
//! the like, or the impure `builtins.currentSystem`, directly or through the
//! local bindings they use (`osConfigFor`, `currentSystem`).

use std::collections::BTreeMap;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::and_list;
use crate::flake::eval::FileId;
use crate::modules::Kind;
use crate::review::context::Cx;
use crate::review::{Finding, Rule, Span};
use crate::scope::BinderKind;
use crate::syntax::static_attr_name;

const CONFIG_OUTPUTS: &[&str] = &["nixosConfigurations", "darwinConfigurations"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum HitKind {
    /// Reads a system configuration.
    System,
    /// `builtins.currentSystem`.
    Impure,
}

struct Hit {
    kind: HitKind,
    range: TextRange,
    text: String,
    /// For `builtins.currentSystem`: what a pure evaluation gets instead,
    /// when the code provides it (`builtins.currentSystem or "x86_64-linux"`,
    /// `if builtins ? currentSystem then ... else "x86_64-linux"`).
    fallback: Option<String>,
}

/// The value a pure evaluation falls back to where `builtins.currentSystem`
/// is read at `n`: an `or` default, or the `else` of an `if` that tests for it.
fn current_system_fallback(n: &SyntaxNode) -> Option<String> {
    if n.children_with_tokens()
        .any(|t| t.kind() == SyntaxKind::TOKEN_OR)
    {
        return n.children().nth(2).map(|d| d.text().to_string());
    }
    let mut child = n.clone();
    for anc in n.ancestors().skip(1) {
        match anc.kind() {
            SyntaxKind::NODE_IF_ELSE => {
                let mut parts = anc.children();
                let (cond, then, other) = (parts.next()?, parts.next()?, parts.next()?);
                let tests = cond.descendants().any(|d| {
                    d.kind() == SyntaxKind::NODE_HAS_ATTR
                        && d.text().to_string().contains("currentSystem")
                });
                if tests && then == child {
                    return Some(other.text().to_string());
                }
            }
            SyntaxKind::NODE_LAMBDA | SyntaxKind::NODE_ATTRPATH_VALUE => return None,
            _ => {}
        }
        child = anc;
    }
    None
}

/// Reads of a system configuration and of `builtins.currentSystem` under `node`.
fn hits(node: &SyntaxNode) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    for n in node.descendants() {
        let kind = match n.kind() {
            SyntaxKind::NODE_SELECT => {
                let base = n.first_child();
                let path: Vec<String> = n
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                    .map(|p| p.children().filter_map(|a| static_attr_name(&a)).collect())
                    .unwrap_or_default();
                let base_name = base
                    .as_ref()
                    .filter(|b| b.kind() == SyntaxKind::NODE_IDENT)
                    .map(|b| b.text().to_string());
                if path.iter().any(|p| CONFIG_OUTPUTS.contains(&p.as_str()))
                    || base_name
                        .as_deref()
                        .is_some_and(|b| CONFIG_OUTPUTS.contains(&b))
                {
                    HitKind::System
                } else if base_name.as_deref() == Some("builtins")
                    && path.first().map(String::as_str) == Some("currentSystem")
                {
                    HitKind::Impure
                } else {
                    continue;
                }
            }
            SyntaxKind::NODE_IDENT if n.text() == "__currentSystem" => HitKind::Impure,
            _ => continue,
        };
        if out.iter().any(|h| h.range.contains_range(n.text_range())) {
            continue;
        }
        let fallback = match kind {
            HitKind::Impure => current_system_fallback(&n),
            HitKind::System => None,
        };
        out.push(Hit {
            kind,
            range: n.text_range(),
            text: n.text().to_string(),
            fallback,
        });
    }
    out
}

/// A standalone configuration to look at: its label, the places to look
/// (file, range), and where it is defined.
type Target = (String, Vec<(FileId, TextRange)>, FileId, TextRange);

pub(super) fn reads_nixos(cx: &Cx) -> Option<Finding> {
    cx.flake.outputs.as_ref()?;
    // What to look at: every standalone configuration (its value, and the
    // builder call it reaches, in whatever file each is written).
    let targets: Vec<Target> = cx
        .confs
        .iter()
        .filter(|c| c.kind == Kind::Home)
        .map(|c| {
            let mut roots = vec![(c.conf.value.file, c.conf.value.node.text_range())];
            if let Some(call) = &c.conf.call {
                roots.push((call.arg.file, call.arg.node.text_range()));
            }
            let label = match &c.conf.name {
                Some(n) => format!("homeConfigurations.{n}"),
                None => "homeConfigurations".to_string(),
            };
            (label, roots, c.conf.file, c.conf.entry.text_range())
        })
        .collect();

    let mut affected: Vec<(String, FileId, TextRange, bool, bool)> = Vec::new();
    // Sources: binder (file, index) -> hits; and hits read directly.
    let mut via: BTreeMap<(FileId, usize), Vec<Hit>> = BTreeMap::new();
    let mut direct: Vec<(FileId, Hit)> = Vec::new();
    for (label, roots, file, entry) in &targets {
        let mut system = false;
        let mut impure = false;
        for &(rf, range) in roots {
            let src = cx.flake.src(rf);
            let scope = src.scope();
            let node = crate::syntax::covering_node(&src.file().root, range);
            for h in hits(&node) {
                system |= h.kind == HitKind::System;
                impure |= h.kind == HitKind::Impure;
                if !direct.iter().any(|(f, d)| *f == rf && d.range == h.range) {
                    direct.push((rf, h));
                }
            }
            let eligible = |b: usize| {
                let binder = &scope.binders[b];
                matches!(binder.kind, BinderKind::Let | BinderKind::Rec)
                    && !CONFIG_OUTPUTS.contains(&binder.name.as_str())
            };
            for b in scope.reachable(&[range], eligible) {
                for e in &scope.binders[b].entries {
                    for h in hits(e) {
                        system |= h.kind == HitKind::System;
                        impure |= h.kind == HitKind::Impure;
                        let list = via.entry((rf, b)).or_default();
                        if !list.iter().any(|d| d.range == h.range) {
                            list.push(h);
                        }
                    }
                }
            }
        }
        if (system || impure) && !affected.iter().any(|(l, ..)| l == label) {
            affected.push((label.clone(), *file, *entry, system, impure));
        }
    }
    if affected.is_empty() {
        return None;
    }
    // A hit read through a binding is not also a direct read.
    direct.retain(|(f, h)| {
        !via.iter().any(|((vf, b), _)| {
            vf == f
                && cx.flake.src(*vf).scope().binders[*b]
                    .entries
                    .iter()
                    .any(|e| e.text_range().contains_range(h.range))
        })
    });

    let mut spans: Vec<Span> = affected
        .iter()
        .map(|(label, file, entry, system, impure)| {
            let what = match (system, impure) {
                (true, true) => "reads a NixOS configuration and builtins.currentSystem",
                (true, false) => "reads a NixOS configuration",
                _ => "reads builtins.currentSystem",
            };
            cx.span_in(*file, *entry)
                .labelled(format!("{label}: {what}"))
        })
        .collect();
    // Per kind: the bindings read through, and the expressions read directly.
    let mut system: (Vec<String>, Vec<String>) = Default::default();
    let mut impure: (Vec<String>, Vec<String>) = Default::default();
    // What a pure evaluation gets instead of the current system, per read;
    // `None` where nothing is provided (the evaluation fails).
    let mut fallbacks: Vec<Option<String>> = Vec::new();
    for ((file, b), list) in &via {
        let src = cx.flake.src(*file);
        let name = &src.scope().binders[*b].name;
        let texts: Vec<String> = list.iter().map(|h| h.text.clone()).collect();
        if let Some(entry) = src.scope().binders[*b].entries.first() {
            spans.push(
                cx.span_in(*file, entry.text_range())
                    .labelled(format!("{name}: {}", and_list(&texts))),
            );
        }
        for h in list {
            if h.kind == HitKind::Impure {
                fallbacks.push(h.fallback.clone());
            }
            let side = match h.kind {
                HitKind::System => &mut system,
                HitKind::Impure => &mut impure,
            };
            if !side.0.contains(name) {
                side.0.push(name.clone());
            }
        }
    }
    for (file, h) in &direct {
        spans.push(cx.span_in(*file, h.range).labelled(h.text.clone()));
        if h.kind == HitKind::Impure {
            fallbacks.push(h.fallback.clone());
        }
        let side = match h.kind {
            HitKind::System => &mut system,
            HitKind::Impure => &mut impure,
        };
        side.1.push(h.text.clone());
    }
    let describe = |what: &str, (names, texts): &(Vec<String>, Vec<String>)| {
        let mut s = what.to_string();
        if !texts.is_empty() {
            s.push_str(&format!(" ({})", and_list(texts)));
        }
        if !names.is_empty() {
            s.push_str(&format!(" through {}", and_list(names)));
        }
        s
    };
    let labels: Vec<String> = affected.iter().map(|(l, ..)| l.clone()).collect();
    let mut parts = Vec::new();
    let reads_system = !system.0.is_empty() || !system.1.is_empty();
    if reads_system {
        parts.push(describe("NixOS configurations", &system));
    }
    if !impure.0.is_empty() || !impure.1.is_empty() {
        // Say what the code does without `--impure`: fail, or quietly take
        // the fallback it provides.
        let mut provided: Vec<String> = fallbacks.iter().flatten().cloned().collect();
        provided.dedup();
        let what = if fallbacks.iter().all(Option::is_some) {
            format!(
                "builtins.currentSystem, which a pure evaluation does not have: it silently falls back to {}",
                and_list(&provided)
            )
        } else if provided.is_empty() {
            "the impure builtins.currentSystem (evaluation fails without --impure)".to_string()
        } else {
            format!(
                "the impure builtins.currentSystem (evaluation fails without --impure where no fallback is given; elsewhere it silently falls back to {})",
                and_list(&provided)
            )
        };
        parts.push(describe(&what, &(impure.0.clone(), Vec::new())));
    }
    let mut f = Finding::new(
        Rule::StandaloneReadsNixos,
        format!(
            "standalone {} {} {}",
            and_list(&labels),
            if labels.len() == 1 { "reads" } else { "read" },
            and_list(&parts)
        ),
        spans,
    );
    if !reads_system {
        // drop-osconfigfor removes NixOS configurations passed in; it does not touch currentSystem.
        f.codemod = None;
    }
    Some(f)
}
