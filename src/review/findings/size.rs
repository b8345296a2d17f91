//! FR001: a monolithic flake.nix.

use crate::review::context::Cx;
use crate::review::{Finding, Rule};

/// flake.nix over `--max-lines`. Points at the `outputs` function, which is
/// what `split-outputs` moves out; without inline outputs to move (they are
/// already imported), no codemod is named.
pub(super) fn monolithic_flake(cx: &Cx) -> Option<Finding> {
    let text = &cx.flake.file.text;
    let lines = text.lines().count();
    if lines <= cx.options.max_lines {
        return None;
    }
    let outputs = cx.flake.outputs.as_ref();
    let movable = outputs.is_some_and(|o| !o.defs.is_empty());
    let span = match outputs {
        Some(o) => cx.span(o.binding.text_range()).labelled(format!(
            "the outputs function: {} of the {lines} lines",
            cx.span(o.binding.text_range()).end.line + 1
                - cx.span(o.binding.text_range()).start.line
        )),
        None => cx.span(cx.flake.file.root.text_range()),
    };
    let mut f = Finding::new(
        Rule::MonolithicFlake,
        format!(
            "flake.nix has {lines} lines (more than {}); its outputs would be easier to navigate in files of their own",
            cx.options.max_lines
        ),
        vec![span],
    );
    if !movable {
        f.codemod = None;
    }
    Some(f)
}
