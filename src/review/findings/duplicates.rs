//! FR009: large blocks repeated inside flake.nix, found with the engine's
//! structural fingerprints ([`crate::syntax::shape`]). Configuration values
//! and their module lists (compared by FR002) and Home Manager blocks (FR003)
//! are left out as blocks, so the same copy is not reported twice; the
//! modules inside them are compared.

use rnix::{SyntaxNode, TextRange};

use crate::review::context::Cx;
use crate::review::{Finding, Rule};
use crate::syntax::shape::{clone_groups, CloneParams};
use crate::syntax::unparen;

pub(super) fn repeated_blocks(cx: &Cx) -> Vec<Finding> {
    let flake = &cx.flake;
    // Whole configurations: the entry's value, the builder call and its argument.
    let mut whole: Vec<TextRange> = Vec::new();
    for c in &cx.confs {
        whole.push(c.conf.value.text_range());
        whole.push(unparen(c.conf.value.clone()).text_range());
        if let Some(call) = &c.conf.call {
            whole.push(call.call.text_range());
            whole.push(call.arg.text_range());
            whole.extend(modules_list(&call.arg));
        }
    }
    // Module lists of builder calls in helpers: a host's list differs by its
    // own files; the modules in it are compared one by one.
    for (binder, _) in &cx.helpers {
        for call in flake.helper_calls(*binder, &cx.helpers) {
            whole.extend(modules_list(&call.arg));
        }
    }
    let hm: Vec<TextRange> = cx
        .hm
        .iter()
        .filter(|b| b.file == flake.path)
        .map(|b| b.range)
        .collect();
    let keep = |n: &SyntaxNode| {
        let r = n.text_range();
        !whole.contains(&r)
            && !hm
                .iter()
                .any(|h| h.contains_range(r) || r.contains_range(*h))
    };
    let params = CloneParams {
        min_lines: cx.options.min_duplicate_lines.max(1),
        ..CloneParams::default()
    };
    let groups = clone_groups(&flake.file.root, &flake.file.lines, &params, keep);
    groups
        .into_iter()
        .map(|g| {
            let n = g.members.len();
            let spans = g
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    cx.span(m.text_range())
                        .labelled(format!("copy {} of {n}", i + 1))
                })
                .collect::<Vec<_>>();
            let lines = spans
                .first()
                .map(|s| s.end.line + 1 - s.start.line)
                .unwrap_or_default();
            let how = if g.similarity >= 1.0 {
                "identical copies".to_string()
            } else {
                format!("near-identical copies, {:.0}% alike", g.similarity * 100.0)
            };
            Finding::new(
                Rule::RepeatedBlock,
                format!("a block of {lines} lines is written {n} times in flake.nix ({how})"),
                spans,
            )
        })
        .collect()
}

/// The range of the `modules = [ ... ]` value of a builder call's argument.
fn modules_list(arg: &SyntaxNode) -> Option<TextRange> {
    let arg = unparen(arg.clone());
    arg.children()
        .filter(|c| c.kind() == rnix::SyntaxKind::NODE_ATTRPATH_VALUE)
        .find(|e| crate::syntax::attrpath_names(e).as_deref() == Some(&["modules".to_string()]))
        .and_then(|e| crate::syntax::attr_value(&e))
        .map(|v| unparen(v).text_range())
}
