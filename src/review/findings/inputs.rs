//! FR007: inputs that bring their own nixpkgs (visible in flake.lock as a
//! second nixpkgs node); FR008: flake.lock missing, unreadable or not
//! tracked by git.

use std::collections::BTreeMap;

use crate::lock::node_position;
use crate::review::context::{Cx, LockFile};
use crate::review::{Finding, Rule, Span};
use crate::syntax::LineIndex;

/// One finding per root input whose subtree holds a nixpkgs of its own.
pub(super) fn without_follows(cx: &Cx) -> Vec<Finding> {
    let LockFile::Present { lock, text } = &cx.lock else {
        return Vec::new();
    };
    if lock.nixpkgs_nodes().len() < 2 {
        return Vec::new();
    }
    // The nixpkgs to follow: the root input called `nixpkgs`, else the first that is one.
    let roots = lock.root_inputs();
    let target = roots
        .iter()
        .find(|(n, node)| n == "nixpkgs" && node.as_deref().is_some_and(|x| lock.is_nixpkgs(x)))
        .or_else(|| {
            roots
                .iter()
                .find(|(_, node)| node.as_deref().is_some_and(|x| lock.is_nixpkgs(x)))
        })
        .map(|(n, _)| n.clone());
    let mut by_input: BTreeMap<String, Vec<crate::lock::ExtraNixpkgs>> = BTreeMap::new();
    for extra in lock.extra_nixpkgs() {
        if let Some(first) = extra.path.first() {
            by_input.entry(first.clone()).or_default().push(extra);
        }
    }
    let mut out = Vec::new();
    for (input, extras) in by_input {
        let mut spans = Vec::new();
        if let Some(i) = cx.flake.inputs.iter().find(|i| i.name == input) {
            spans.push(
                cx.input_span(i)
                    .labelled(format!("input {input}, declared without follows")),
            );
        }
        let mut fixes = Vec::new();
        for e in &extras {
            if let Some((line, col)) = node_position(text, &e.node) {
                let len = e.node.chars().count() + 2;
                let mut s = Span::at(&cx.lock_path, line, col);
                s.end.col = col + len;
                spans.push(s.labelled(format!("lock node {} ({})", e.node, e.path.join(" → "))));
            }
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
        if spans.is_empty() {
            continue;
        }
        let nodes: Vec<String> = extras.iter().map(|e| e.node.clone()).collect();
        let mut message = format!(
            "input {input} brings its own nixpkgs (flake.lock node {})",
            super::and_list(&nodes)
        );
        if !fixes.is_empty() {
            message.push_str(&format!("; add `{}`", fixes.join(" ")));
        }
        out.push(Finding::new(Rule::InputWithoutFollows, message, spans));
    }
    out
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
