//! FR002: a helper that wraps a builder (`nixosSystem`, `darwinSystem`,
//! `homeManagerConfiguration`) unused, or bypassed by configurations that
//! call the builder directly.
//!
//! Helpers are the engine's [`crate::flake::Flake::builder_helpers`]: local
//! functions whose body calls the builder (or another such helper), matched
//! by binding, not by name.

use std::collections::BTreeMap;

use super::and_list;
use crate::flake::{Via, BUILDERS};
use crate::review::context::Cx;
use crate::review::{Finding, Rule};

pub(super) fn helper_bypassed(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (output, builder) in BUILDERS {
        let helpers: Vec<usize> = cx
            .helpers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.builder == *builder)
            .map(|(i, _)| i)
            .collect();
        if helpers.is_empty() {
            continue;
        }
        let codemod = (*builder != "homeManagerConfiguration").then_some("use-mksystem");
        let mut direct = Vec::new();
        let mut users: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for c in cx.confs.iter().filter(|c| c.conf.output == *output) {
            match c.conf.call.as_ref().map(|k| &k.via) {
                Some(Via::Direct(text)) => direct.push((c, text.clone())),
                Some(Via::Helper { binder, lambda, .. }) => {
                    let h = helpers.iter().copied().find(|&h| {
                        let helper = &cx.helpers[h];
                        match binder {
                            Some(b) => *b == (helper.file, helper.binder),
                            None => {
                                (helper.lambda.file, helper.lambda.node.text_range()) == *lambda
                            }
                        }
                    });
                    if let Some(h) = h {
                        users.entry(h).or_default().push(c.label())
                    }
                }
                _ => {}
            }
        }
        let name = |h: usize| cx.helpers[h].name.clone();
        let def_span = |h: usize| {
            let helper = &cx.helpers[h];
            cx.flake.src(helper.file).scope().binders[helper.binder]
                .entries
                .first()
                .map(|e| cx.span_in(helper.file, e.text_range()))
        };
        let direct_spans = || {
            direct
                .iter()
                .map(|(c, text)| {
                    cx.span_in(c.conf.file, c.conf.entry.text_range())
                        .labelled(format!("{}: built with {text} directly", c.label()))
                })
                .collect::<Vec<_>>()
        };
        let direct_names: Vec<String> = direct.iter().map(|(c, _)| c.label()).collect();
        let direct_builders: Vec<String> = {
            let mut b: Vec<String> = direct.iter().map(|(_, t)| t.clone()).collect();
            b.dedup();
            b
        };
        let verb = if direct.len() == 1 { "calls" } else { "call" };

        if !direct.is_empty() && !users.is_empty() {
            let helper_names: Vec<String> = users.keys().map(|&h| name(h)).collect();
            let helper_users: Vec<String> = users.values().flatten().cloned().collect();
            let mut spans = direct_spans();
            for (&h, used_by) in &users {
                if let Some(s) = def_span(h) {
                    spans.push(s.labelled(format!("{}: used by {}", name(h), and_list(used_by))));
                }
            }
            let mut f = Finding::new(
                Rule::HelperBypassed,
                format!(
                    "{} {verb} {} directly instead of the {} helper that {} {}",
                    and_list(&direct_names),
                    and_list(&direct_builders),
                    and_list(&helper_names),
                    and_list(&helper_users),
                    if helper_users.len() == 1 {
                        "uses"
                    } else {
                        "use"
                    },
                ),
                spans,
            );
            f.codemod = codemod;
            out.push(f);
        }

        for &h in &helpers {
            let helper = &cx.helpers[h];
            if users.contains_key(&h)
                || cx
                    .flake
                    .src(helper.file)
                    .scope()
                    .uses_of(helper.binder)
                    .next()
                    .is_some()
            {
                continue;
            }
            let Some(def) = def_span(h) else { continue };
            let mut spans = vec![def.labelled(format!("{}: defined here, never used", name(h)))];
            let message = if !direct.is_empty() && users.is_empty() {
                spans.extend(direct_spans());
                format!(
                    "{} wraps {builder} but nothing uses it: {} {verb} {} directly",
                    name(h),
                    and_list(&direct_names),
                    and_list(&direct_builders)
                )
            } else {
                format!("{} wraps {builder} but nothing uses it", name(h))
            };
            let mut f = Finding::new(Rule::HelperBypassed, message, spans);
            f.codemod = codemod;
            out.push(f);
        }
    }
    out
}
