//! FR001: a monolithic flake.nix.

use crate::review::context::Cx;
use crate::review::{Finding, Rule};

/// The `outputs` function of flake.nix over `--max-lines`: the size that
/// matters is the code `split-outputs` can move, not the inputs block or the
/// comments around it. Without inline outputs to move (they are already
/// imported), no codemod is named.
pub(super) fn monolithic_flake(cx: &Cx) -> Option<Finding> {
    let lines = cx.flake.file.text.lines().count();
    let outputs = cx.flake.outputs.as_ref()?;
    let span = cx.span(outputs.binding.text_range());
    let outputs_lines = span.end.line + 1 - span.start.line;
    if outputs_lines <= cx.options.max_lines {
        return None;
    }
    let movable = !outputs.defs.is_empty();
    let span = span.labelled(format!(
        "the outputs function: {outputs_lines} of the {lines} lines"
    ));
    let mut f = Finding::new(
        Rule::MonolithicFlake,
        format!(
            "the outputs function of flake.nix has {outputs_lines} lines (more than {}); its outputs would be easier to navigate in files of their own",
            cx.options.max_lines
        ),
        vec![span],
    );
    if !movable {
        f.codemod = None;
    }
    Some(f)
}
