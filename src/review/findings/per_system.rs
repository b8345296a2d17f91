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
    // The systems of each output found, when known.
    let mut covers: Vec<Option<Vec<String>>> = Vec::new();
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
                covers.push(None);
            }
            continue;
        }
        if NOT_PER_SYSTEM.contains(&source.name.as_str()) {
            continue;
        }
        if let Some((how, systems)) = per_system(cx, &source.entry.value) {
            covers.push(systems.clone());
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
    if model.flake_parts || cx.flake.flake_parts().is_some() {
        return on_flake_parts(cx, found, covers);
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

/// FR005 on a flake already on flake-parts: what is still written per
/// system outside `perSystem` (kept under `flake`, typically because it
/// covers fewer systems than the flake's), and how to move it by hand; the
/// `flake-parts` codemod has nothing left to do there.
fn on_flake_parts(
    cx: &Cx,
    found: Vec<(String, String, Span)>,
    covers: Vec<Option<Vec<String>>>,
) -> Option<Finding> {
    let systems = module_systems(cx);
    let mut fewer: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for ((name, how, _), own) in found.iter().zip(&covers) {
        let d = if name == "outputs" {
            format!("the outputs made with {how}")
        } else {
            format!("{name} ({how})")
        };
        let is_fewer = match (&systems, own) {
            (Some(all), Some(own)) => own.len() < all.len() && own.iter().all(|s| all.contains(s)),
            _ => false,
        };
        let list = if is_fewer { &mut fewer } else { &mut other };
        if !list.contains(&d) {
            list.push(d);
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !fewer.is_empty() {
        parts.push(format!(
            "{} {} under `flake`, on fewer systems than the flake's ({})",
            and_list(&fewer),
            if fewer.len() == 1 { "stays" } else { "stay" },
            systems.as_deref().unwrap_or_default().join(", ")
        ));
    }
    if !other.is_empty() {
        parts.push(format!(
            "{} {} written by hand outside `perSystem`",
            and_list(&other),
            if other.len() == 1 { "is" } else { "are" }
        ));
    }
    let advice = if other.is_empty() {
        "move them into `perSystem`, guarded by the system (`packages = lib.optionalAttrs (builtins.elem system [ ... ]) { ... };`): the outputs stay the same, since flake-parts already makes them, empty, on the other systems; or keep them under `flake` deliberately (the `flake-parts` codemod's `--expand-systems` moves them only when migrating, unguarded)"
    } else {
        "move them into `perSystem` (guarded by the system where they cover fewer systems than the flake's), or keep them under `flake` deliberately"
    };
    Some(
        Finding::new(
            Rule::HandWrittenPerSystem,
            format!(
                "the flake is on flake-parts, but per-system outputs remain outside `perSystem`: {}",
                parts.join("; ")
            ),
            found.into_iter().map(|(_, _, s)| s).collect(),
        )
        .by_hand(advice)
        .with_action("Consider moving the per-system outputs left under `flake` into perSystem"),
    )
}

/// The `systems` of flake.nix's mkFlake module, when known statically.
fn module_systems(cx: &Cx) -> Option<Vec<String>> {
    let parts = cx.flake.flake_parts()?;
    for entry in parts.module.children() {
        let node = match entry.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE
                if crate::syntax::attrpath_names(&entry).as_deref()
                    == Some(&["systems".to_string()][..]) =>
            {
                crate::syntax::attr_value(&entry)?
            }
            // `inherit systems;`
            SyntaxKind::NODE_INHERIT
                if !entry
                    .children()
                    .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM) =>
            {
                match entry.children().find(|c| c.text() == "systems") {
                    Some(ident) => ident,
                    None => continue,
                }
            }
            _ => continue,
        };
        return systems_of(cx, &cx.flake.val(node));
    }
    None
}
