//! FR004: standalone Home Manager configurations that read a NixOS (or
//! nix-darwin) configuration, `self.nixosConfigurations.<host>.config` and
//! the like, or the impure `builtins.currentSystem`, directly or through the
//! local bindings they use (`osConfigFor`, `currentSystem`).

use std::collections::BTreeMap;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::and_list;
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
        out.push(Hit {
            kind,
            range: n.text_range(),
            text: n.text().to_string(),
        });
    }
    out
}

pub(super) fn reads_nixos(cx: &Cx) -> Option<Finding> {
    let outputs = cx.flake.outputs.as_ref()?;
    let scope = &cx.flake.scope;
    // What to look at: every standalone configuration, and generated ones as a whole.
    let mut targets: Vec<(String, SyntaxNode, TextRange)> = cx
        .confs
        .iter()
        .filter(|c| c.kind == Kind::Home)
        .map(|c| {
            (
                format!("homeConfigurations.{}", c.label()),
                c.conf.value.clone(),
                c.conf.entry.text_range(),
            )
        })
        .collect();
    for def in outputs.defs_of("homeConfigurations") {
        let Some(value) = &def.value else { continue };
        if def.path.len() == 1
            && crate::syntax::unparen(value.clone()).kind() != SyntaxKind::NODE_ATTR_SET
        {
            targets.push((
                "homeConfigurations".into(),
                value.clone(),
                def.entry.text_range(),
            ));
        }
    }
    let eligible = |b: usize| {
        let binder = &scope.binders[b];
        matches!(binder.kind, BinderKind::Let | BinderKind::Rec)
            && !CONFIG_OUTPUTS.contains(&binder.name.as_str())
    };

    let mut affected: Vec<(String, TextRange, bool, bool)> = Vec::new();
    // Sources: binder (or None for direct reads) -> hits.
    let mut via: BTreeMap<usize, Vec<Hit>> = BTreeMap::new();
    let mut direct: Vec<Hit> = Vec::new();
    for (label, value, entry) in &targets {
        let mut system = false;
        let mut impure = false;
        for h in hits(value) {
            system |= h.kind == HitKind::System;
            impure |= h.kind == HitKind::Impure;
            if !direct.iter().any(|d| d.range == h.range) {
                direct.push(h);
            }
        }
        for b in scope.reachable(&[value.text_range()], eligible) {
            for e in &scope.binders[b].entries {
                for h in hits(e) {
                    system |= h.kind == HitKind::System;
                    impure |= h.kind == HitKind::Impure;
                    let list = via.entry(b).or_default();
                    if !list.iter().any(|d| d.range == h.range) {
                        list.push(h);
                    }
                }
            }
        }
        if system || impure {
            affected.push((label.clone(), *entry, system, impure));
        }
    }
    if affected.is_empty() {
        return None;
    }

    let mut spans: Vec<Span> = affected
        .iter()
        .map(|(label, entry, system, impure)| {
            let what = match (system, impure) {
                (true, true) => "reads a NixOS configuration and builtins.currentSystem",
                (true, false) => "reads a NixOS configuration",
                _ => "reads builtins.currentSystem",
            };
            cx.span(*entry).labelled(format!("{label}: {what}"))
        })
        .collect();
    // Per kind: the bindings read through, and the expressions read directly.
    let mut system: (Vec<String>, Vec<String>) = Default::default();
    let mut impure: (Vec<String>, Vec<String>) = Default::default();
    for (b, list) in &via {
        let name = &scope.binders[*b].name;
        let texts: Vec<String> = list.iter().map(|h| h.text.clone()).collect();
        if let Some(entry) = scope.binders[*b].entries.first() {
            spans.push(
                cx.span(entry.text_range())
                    .labelled(format!("{name}: {}", and_list(&texts))),
            );
        }
        for h in list {
            let side = match h.kind {
                HitKind::System => &mut system,
                HitKind::Impure => &mut impure,
            };
            if !side.0.contains(name) {
                side.0.push(name.clone());
            }
        }
    }
    for h in &direct {
        spans.push(cx.span(h.range).labelled(h.text.clone()));
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
        parts.push(describe(
            "the impure builtins.currentSystem",
            &(impure.0.clone(), Vec::new()),
        ));
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
