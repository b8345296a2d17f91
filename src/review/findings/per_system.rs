//! FR005: per-system outputs written by hand: attribute sets keyed by
//! system, `genAttrs` (directly or through a local `forAllSystems`), or
//! flake-utils' `eachSystem` family.

use rnix::{SyntaxKind, SyntaxNode};

use super::and_list;
use crate::flake::eval::{FileId, Lookup, Whnf};
use crate::flake::model::Origin;
use crate::review::context::Cx;
use crate::review::{Finding, Rule, Span};
use crate::syntax::{static_attr_name, unparen};

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

/// The systems a list names, when every item is a known string.
fn systems_of(cx: &Cx, list: &crate::flake::eval::Val) -> Option<Vec<String>> {
    match cx.flake.resolve(list) {
        Whnf::List(items) => items
            .iter()
            .map(|i| match cx.flake.resolve(i) {
                Whnf::Str(s) => Some(s),
                _ => None,
            })
            .collect(),
        // `flake-utils.lib.defaultSystems`, `import inputs.systems`...
        _ => None,
    }
}

/// How an output's value is made per system, if it is, and the systems it
/// covers when they are known: followed through imports and local
/// functions (`forAllSystems = genAttrs systems;`).
fn per_system(cx: &Cx, value: &Lookup) -> Option<(String, Option<Vec<String>>)> {
    let w = cx.flake.resolve_lookup(value, &mut Vec::new());
    match &w {
        Whnf::Attrs(_) => {
            let systems: Vec<String> = cx
                .flake
                .entries(&w)
                .ok()?
                .iter()
                .filter_map(|e| e.key.name().filter(|n| is_system(n)).map(str::to_string))
                .collect();
            (!systems.is_empty()).then(|| {
                (
                    "an attribute set keyed by system".to_string(),
                    Some(systems),
                )
            })
        }
        Whnf::Call {
            call,
            function,
            args,
        } => {
            let name = function.last()?.to_string();
            if name != "genAttrs" && !FLAKE_UTILS.contains(&name.as_str()) {
                return None;
            }
            // The name the call is written with (`forAllSystems`).
            let mut head = unparen(call.node.clone());
            while head.kind() == SyntaxKind::NODE_APPLY {
                head = unparen(head.first_child()?);
            }
            let written = function_name(&head);
            let how = match written {
                Some(w) if w != name && head.kind() == SyntaxKind::NODE_IDENT => {
                    format!("{w} ({name})")
                }
                _ if name == "genAttrs" => "genAttrs".to_string(),
                _ => format!("flake-utils' {name}"),
            };
            // `genAttrs systems f`, `eachSystem systems f`: the first argument.
            let systems = if name.starts_with("eachDefault") {
                None
            } else {
                args.first().and_then(|l| systems_of(cx, l))
            };
            Some((how, systems))
        }
        _ => None,
    }
}

pub(super) fn hand_written(cx: &Cx) -> Option<Finding> {
    cx.flake.outputs.as_ref()?;
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
    let model = cx.flake.outputs_model();
    // (output, how, span), in source order.
    let mut found: Vec<(String, String, Span)> = Vec::new();
    let mut generators: Vec<(FileId, rnix::TextRange)> = Vec::new();
    for source in &model.sources {
        // `{ ... } // flake-utils.lib.eachDefaultSystem (system: { ... })`.
        if let Origin::PerSystem {
            function,
            file,
            range,
        } = &source.origin
        {
            if !generators.contains(&(*file, *range)) {
                generators.push((*file, *range));
                let how = format!("flake-utils' {function}");
                let span = cx.span_in(*file, *range).labelled(how.clone());
                found.push(("outputs".into(), how, span));
            }
            continue;
        }
        if NOT_PER_SYSTEM.contains(&source.name.as_str()) {
            continue;
        }
        if let Some((how, systems)) = per_system(cx, &source.entry.value) {
            let how = match systems {
                Some(s) => format!("{how}: {}", s.join(", ")),
                None => how,
            };
            let span = cx
                .span_in(
                    source.entry.entry.file,
                    source.entry.entry.node.text_range(),
                )
                .labelled(format!("{}: {how}", source.name));
            found.push((source.name.clone(), how, span));
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
