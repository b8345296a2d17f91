//! FR009: large blocks repeated inside flake.nix, found with the engine's
//! structural fingerprints ([`crate::syntax::shape`]). Configuration values
//! and their module lists (compared by FR002) and Home Manager blocks (FR003)
//! are left out as blocks, so the same copy is not reported twice; the
//! modules inside them are compared.

use rnix::{SyntaxNode, TextRange};

use crate::flake::eval::FileId;
use crate::review::context::Cx;
use crate::review::{Finding, Rule};
use crate::syntax::shape::{clone_groups, CloneParams};
use crate::syntax::unparen;

pub(super) fn repeated_blocks(cx: &Cx) -> Vec<Finding> {
    let flake = &cx.flake;
    // Whole configurations: the entry's value, the builder call and its
    // argument, in the file each is written in.
    let mut whole: Vec<(FileId, TextRange)> = Vec::new();
    let mut calls: Vec<&crate::flake::BuilderCall> = Vec::new();
    for c in &cx.confs {
        whole.push((c.conf.value.file, c.conf.value.node.text_range()));
        whole.push((
            c.conf.value.file,
            unparen(c.conf.value.node.clone()).text_range(),
        ));
        calls.extend(c.conf.call.as_ref());
    }
    // Module lists of builder calls in helpers: a host's list differs by its
    // own files; the modules in it are compared one by one.
    calls.extend(cx.helpers.iter().flat_map(|h| h.calls.iter()));
    for call in calls {
        whole.push((call.call.file, call.call.node.text_range()));
        whole.push((call.arg.file, call.arg.node.text_range()));
        if let Some(r) = modules_list(&call.arg.node) {
            whole.push((call.arg.file, r));
        }
    }
    let params = CloneParams {
        min_lines: cx.options.min_duplicate_lines.max(1),
        ..CloneParams::default()
    };
    let mut out = Vec::new();
    // Each file of the flake's own expression (flake.nix, and the files its
    // outputs import), so a split flake is judged as the same code.
    for file in flake.program_files() {
        let src = flake.src(file);
        let path = src.path().to_path_buf();
        let hm: Vec<TextRange> = cx
            .hm
            .iter()
            .filter(|b| b.file == path)
            .map(|b| b.range)
            .collect();
        let keep = |n: &SyntaxNode| {
            let r = n.text_range();
            !whole.contains(&(file, r))
                && !hm
                    .iter()
                    .any(|h| h.contains_range(r) || r.contains_range(*h))
        };
        let groups = clone_groups(&src.file().root, &src.file().lines, &params, keep);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let shown = if file == 0 {
            name
        } else {
            cx.rel(&path).display().to_string()
        };
        out.extend(groups.into_iter().map(|g| {
            let n = g.members.len();
            let spans = g
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    cx.span_in(file, m.text_range())
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
                format!("a block of {lines} lines is written {n} times in {shown} ({how})"),
                spans,
            )
        }));
    }
    out
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
