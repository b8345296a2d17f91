//! FR007: inputs that bring their own nixpkgs (visible in flake.lock as a
//! second nixpkgs node); FR008: flake.lock missing, unreadable or not
//! tracked by git.

use std::collections::BTreeMap;

use crate::lock::node_position;
use crate::review::context::{Cx, LockFile};
use crate::review::{Finding, Rule, Span};
use crate::syntax::LineIndex;

/// One finding per root input whose subtree holds a nixpkgs of its own. A
/// nixpkgs pinned on purpose (named after a release or a regression test,
/// locked to a commit, or to a release other than the flake's own line) is
/// `info` with the reason; one on another line than the flake's nixpkgs
/// stays a warning but names no codemod (`add-follows` leaves it alone
/// without `--input`).
pub(super) fn without_follows(cx: &Cx) -> Vec<Finding> {
    let LockFile::Present { lock, text } = &cx.lock else {
        return Vec::new();
    };
    if lock.nixpkgs_nodes().len() < 2 {
        return Vec::new();
    }
    // The nixpkgs to follow: the root input called `nixpkgs`, else the first that is one.
    let own = lock.own_nixpkgs();
    let own_node = own.as_ref().map(|(_, n)| n.as_str());
    let target = own.as_ref().map(|(n, _)| n.clone());
    let mut by_input: BTreeMap<String, Vec<crate::lock::ExtraNixpkgs>> = BTreeMap::new();
    for extra in lock.extra_nixpkgs() {
        if let Some(first) = extra.path.first() {
            by_input.entry(first.clone()).or_default().push(extra);
        }
    }
    let leaves = crate::syntax::top_set(&cx.flake.file.root)
        .map(|top| crate::syntax::static_leaves(&top))
        .unwrap_or_default();
    let mut out = Vec::new();
    for (input, extras) in by_input {
        let (pinned, shared): (Vec<_>, Vec<_>) = extras
            .into_iter()
            .map(|e| {
                (
                    overridden(&leaves, &e.path).or_else(|| lock.pin_reason(&e, own_node)),
                    e,
                )
            })
            .partition(|(why, _)| why.is_some());
        let mut spans = Vec::new();
        if let Some(i) = cx.flake.inputs.iter().find(|i| i.name == input) {
            let label = if shared.is_empty() {
                format!("input {input}, with a nixpkgs pinned on purpose")
            } else {
                format!("input {input}, declared without follows")
            };
            spans.push(cx.input_span(i).labelled(label));
        }
        let node_span = |e: &crate::lock::ExtraNixpkgs, what: &str| {
            node_position(text, &e.node).map(|(line, col)| {
                let len = e.node.chars().count() + 2;
                let mut s = Span::at(&cx.lock_path, line, col);
                s.end.col = col + len;
                s.labelled(format!(
                    "lock node {} ({}){what}",
                    e.node,
                    e.path.join(" → ")
                ))
            })
        };
        let mut fixes = Vec::new();
        for (_, e) in &shared {
            spans.extend(node_span(e, ""));
            if let Some(t) = &target {
                let path: String = e
                    .path
                    .iter()
                    .map(|p| format!("inputs.{p}"))
                    .collect::<Vec<_>>()
                    .join(".");
                fixes.push(format!("{path}.follows = \"{t}\";"));
            }
        }
        for (_, e) in &pinned {
            spans.extend(node_span(e, ", pinned on purpose"));
        }
        if spans.is_empty() {
            continue;
        }
        let pins: Vec<String> = pinned
            .iter()
            .map(|(why, e)| {
                format!(
                    "{} is pinned on purpose: {}",
                    e.node,
                    why.as_deref().unwrap_or_default()
                )
            })
            .collect();
        if shared.is_empty() {
            let nodes: Vec<String> = pinned.iter().map(|(_, e)| e.node.clone()).collect();
            let message = format!(
                "input {input} brings its own nixpkgs (flake.lock node {}), which it pins on purpose ({}); following the flake's nixpkgs would defeat the pin, so leave it",
                super::and_list(&nodes),
                pins.iter()
                    .map(|p| p.split_once(": ").map_or(p.as_str(), |(_, why)| why))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            out.push(
                Finding::new(Rule::InputWithoutFollows, message, spans)
                    .at(crate::review::Severity::Info)
                    .without_codemod(),
            );
            continue;
        }
        let nodes: Vec<String> = shared.iter().map(|(_, e)| e.node.clone()).collect();
        let mut message = format!(
            "input {input} brings its own nixpkgs (flake.lock node {})",
            super::and_list(&nodes)
        );
        if !fixes.is_empty() {
            message.push_str(&format!("; add `{}`", fixes.join(" ")));
        }
        // `add-follows` handles by default only the nodes on the flake's own
        // line, at most two inputs deep.
        let same_line =
            |e: &crate::lock::ExtraNixpkgs| own_node.is_some_and(|o| lock.same_channel(&e.node, o));
        let by_default = shared
            .iter()
            .any(|(_, e)| e.path.len() <= 2 && same_line(e));
        let mut finding = if by_default {
            Finding::new(Rule::InputWithoutFollows, message, spans)
        } else {
            let first = &shared[0].1;
            if let (false, Some(o)) = (same_line(first), own_node) {
                message.push_str(&format!(
                    " (it follows {}, while the flake's nixpkgs follows {}: check that the input works with the flake's nixpkgs, then `flake-refactor apply add-follows --input {input}`)",
                    lock.channel(&first.node),
                    lock.channel(o)
                ));
            } else if first.path.len() > 2 {
                message.push_str(&format!(
                    " (a follows {} levels deep needs a Nix with the fix of deep overrides, NixOS/nix#13400 of June 2025: older Nix looks `flake:{}` up in the flake registry; with such a Nix, `flake-refactor apply add-follows --input {input}`)",
                    first.path.len(),
                    first.path[1]
                ));
            }
            Finding::new(Rule::InputWithoutFollows, message, spans).without_codemod()
        };
        if !pins.is_empty() {
            finding.message.push_str(&format!("; {}", pins.join("; ")));
        }
        out.push(finding);
    }
    out
}

/// Why flake.nix chose the input at `path` itself: it sets something of it
/// other than `follows` (`inputs.agenix.inputs.nixpkgs.url = ...;`).
fn overridden(leaves: &[(Vec<String>, rnix::SyntaxNode)], path: &[String]) -> Option<String> {
    let mut prefix = Vec::new();
    for name in path {
        prefix.push("inputs".to_string());
        prefix.push(name.clone());
    }
    leaves
        .iter()
        .find(|(p, _)| {
            p.len() > prefix.len() && p.starts_with(&prefix) && p[prefix.len()] != "follows"
        })
        .map(|(p, _)| format!("flake.nix sets `{}` itself", p.join(".")))
}

pub(super) fn lock_missing(cx: &Cx) -> Option<Finding> {
    let inputs_span = || {
        cx.flake
            .file
            .root
            .first_child()
            .and_then(|top| {
                crate::syntax::unparen(top)
                    .children()
                    .filter(|c| c.kind() == rnix::SyntaxKind::NODE_ATTRPATH_VALUE)
                    .find(|e| {
                        crate::syntax::attrpath_names(e)
                            .and_then(|p| p.into_iter().next())
                            .as_deref()
                            == Some("inputs")
                    })
            })
            .map(|e| cx.span(e.text_range()))
            .unwrap_or_else(|| Span::at(&cx.flake.path, 1, 1))
    };
    let lock_name = cx.lock_path.display().to_string();
    match &cx.lock {
        LockFile::Missing => {
            if cx.flake.inputs.is_empty() {
                return None;
            }
            Some(Finding::new(
                Rule::LockMissing,
                format!("{lock_name} is missing: the inputs are not locked"),
                vec![inputs_span().labelled("inputs declared here, not locked")],
            ))
        }
        LockFile::Unreadable(e) => Some(Finding::new(
            Rule::LockMissing,
            format!("{lock_name} cannot be read: {e}"),
            vec![Span::at(&cx.lock_path, 1, 1)],
        )),
        LockFile::Present { text, .. } => {
            if cx.is_tracked(&cx.lock_path) != Some(false) {
                return None;
            }
            let lines = LineIndex::new(text);
            let end = lines.line_col(rnix::TextSize::of(text.as_str()));
            let mut span = Span::at(&cx.lock_path, 1, 1);
            span.end = crate::review::Position {
                line: end.0,
                col: end.1,
            };
            Some(Finding::new(
                Rule::LockMissing,
                format!("{lock_name} is not tracked by git, so the flake cannot see it"),
                vec![span.labelled("not in git's index")],
            ))
        }
    }
}
