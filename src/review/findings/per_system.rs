//! FR005: per-system outputs written by hand: attribute sets keyed by
//! system, `genAttrs` (directly or through a local `forAllSystems`), or
//! flake-utils' `eachSystem` family.

use rnix::{SyntaxKind, SyntaxNode};

use super::and_list;
use crate::review::context::Cx;
use crate::review::{Finding, Rule, Span};
use crate::scope::BinderKind;
use crate::syntax::{attrpath_names, static_attr_name, unparen};

const FLAKE_UTILS: &[&str] = &[
    "eachDefaultSystem",
    "eachSystem",
    "eachDefaultSystemMap",
    "eachSystemMap",
    "eachDefaultSystemPassThrough",
    "eachSystemPassThrough",
];

/// CPU names of Nix system doubles.
const ARCHS: &[&str] = &[
    "x86_64",
    "i686",
    "aarch64",
    "armv5tel",
    "armv6l",
    "armv7l",
    "armv7a",
    "riscv32",
    "riscv64",
    "powerpc64",
    "powerpc64le",
    "mips64el",
    "mipsel",
    "loongarch64",
    "s390x",
    "wasm32",
    "wasm64",
];

/// Whether `name` is a Nix system double (`x86_64-linux`).
pub(crate) fn is_system(name: &str) -> bool {
    let Some((arch, os)) = name.split_once('-') else {
        return false;
    };
    ARCHS.contains(&arch)
        && matches!(
            os,
            "linux" | "darwin" | "freebsd" | "netbsd" | "openbsd" | "windows" | "none" | "wasi"
        )
}

/// The name a function expression ends in: `f`, `lib.genAttrs` -> `genAttrs`.
fn function_name(function: &SyntaxNode) -> Option<String> {
    let f = unparen(function.clone());
    match f.kind() {
        SyntaxKind::NODE_IDENT => Some(f.text().to_string()),
        SyntaxKind::NODE_SELECT => {
            let path = f
                .children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
            static_attr_name(&path.children().last()?)
        }
        _ => None,
    }
}

/// The innermost function of an application (`f a b` -> `f`).
fn head(apply: &SyntaxNode) -> Option<SyntaxNode> {
    let mut f = unparen(apply.clone());
    while f.kind() == SyntaxKind::NODE_APPLY {
        f = unparen(f.first_child()?);
    }
    Some(f)
}

/// How a value is made per system, if it is.
fn per_system(cx: &Cx, value: &SyntaxNode, depth: usize) -> Option<String> {
    let value = unparen(value.clone());
    match value.kind() {
        SyntaxKind::NODE_ATTR_SET => value
            .children()
            .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
            .any(|e| {
                attrpath_names(&e)
                    .and_then(|p| p.into_iter().next())
                    .is_some_and(|n| is_system(&n))
            })
            .then(|| "an attribute set keyed by system".to_string()),
        SyntaxKind::NODE_APPLY => {
            let f = head(&value)?;
            let name = function_name(&f)?;
            if name == "genAttrs" {
                return Some("genAttrs".into());
            }
            if FLAKE_UTILS.contains(&name.as_str()) {
                return Some(format!("flake-utils' {name}"));
            }
            // A local `forAllSystems = nixpkgs.lib.genAttrs systems;`.
            if f.kind() != SyntaxKind::NODE_IDENT || depth > 8 {
                return None;
            }
            let b = cx.binder_of(&f)?;
            let binder = &cx.flake.scope.binders[b];
            if !matches!(binder.kind, BinderKind::Let | BinderKind::Rec) {
                return None;
            }
            let def = crate::syntax::attr_value(binder.entries.first()?)?;
            let uses = def.descendants().any(|n| {
                matches!(n.kind(), SyntaxKind::NODE_SELECT | SyntaxKind::NODE_IDENT)
                    && function_name(&n)
                        .is_some_and(|m| m == "genAttrs" || FLAKE_UTILS.contains(&m.as_str()))
            });
            uses.then(|| format!("{} (genAttrs)", binder.name))
        }
        _ => None,
    }
}

pub(super) fn hand_written(cx: &Cx) -> Option<Finding> {
    let outputs = cx.flake.outputs.as_ref()?;
    const NOT_PER_SYSTEM: &[&str] = &[
        "nixosConfigurations",
        "darwinConfigurations",
        "homeConfigurations",
        "nixosModules",
        "darwinModules",
        "homeManagerModules",
        "homeModules",
        "overlays",
        "lib",
        "templates",
    ];
    // (output, how, span), in source order.
    let mut found: Vec<(String, String, Span)> = Vec::new();
    for def in &outputs.defs {
        if NOT_PER_SYSTEM.contains(&def.name.as_str()) {
            continue;
        }
        let how = if def.path.len() >= 2 && is_system(&def.path[1]) {
            Some("an attribute set keyed by system".to_string())
        } else if def.path.len() == 1 {
            def.value.as_ref().and_then(|v| per_system(cx, v, 0))
        } else {
            None
        };
        if let Some(how) = how {
            let span = cx
                .span(def.entry.text_range())
                .labelled(format!("{}: {how}", def.name));
            found.push((def.name.clone(), how, span));
        }
    }
    // `{ ... } // flake-utils.lib.eachDefaultSystem (system: { ... })`.
    for op in &outputs.operands {
        if op.kind() != SyntaxKind::NODE_APPLY {
            continue;
        }
        let Some(name) = head(op).and_then(|f| function_name(&f)) else {
            continue;
        };
        if FLAKE_UTILS.contains(&name.as_str()) {
            let how = format!("flake-utils' {name}");
            let span = cx.span(op.text_range()).labelled(how.clone());
            found.push(("outputs".into(), how, span));
        }
    }
    if found.is_empty() {
        return None;
    }
    // One mention per output and way.
    let mut described: Vec<String> = Vec::new();
    for (name, how, _) in &found {
        let d = if name == "outputs" {
            format!("the outputs made with {how}")
        } else {
            format!("{name} ({how})")
        };
        if !described.contains(&d) {
            described.push(d);
        }
    }
    Some(Finding::new(
        Rule::HandWrittenPerSystem,
        format!(
            "per-system outputs are written by hand: {}",
            and_list(&described)
        ),
        found.into_iter().map(|(_, _, s)| s).collect(),
    ))
}
