//! FR003: Home Manager's NixOS-module integration configured more than
//! once; FR006: a standalone home profile that a NixOS host already loads.

use std::collections::BTreeSet;

use super::and_list;
use crate::modules::{Kind, Module};
use crate::review::context::Cx;
use crate::review::{Finding, Rule, Span};

/// Two or more NixOS modules that set Home Manager integration options
/// (anything under `home-manager.` but `users`): each copy listed.
pub(super) fn repeated_integration(cx: &Cx) -> Option<Finding> {
    let blocks: Vec<_> = cx.hm.iter().filter(|b| b.sets_integration()).collect();
    if blocks.len() < 2 {
        return None;
    }
    let mut common: Vec<String> = blocks[0].options.iter().map(|(n, _)| n.clone()).collect();
    common.retain(|n| blocks.iter().all(|b| b.options.iter().any(|(m, _)| m == n)));
    let spans: Vec<Span> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let hosts = cx.hosts_loading(&b.module);
            let mut label = format!("copy {} of {}", i + 1, blocks.len());
            if let Some(helper) = cx.enclosing_helper(&b.file, b.range) {
                label.push_str(&format!(", in {helper}"));
            }
            if hosts.is_empty() {
                label.push_str(", loaded by no configuration");
            } else {
                label.push_str(&format!(", loaded by {}", and_list(&hosts)));
            }
            Span::of(&b.file, &b.lines, b.range).labelled(label)
        })
        .collect();
    let what = if common.is_empty() {
        String::new()
    } else {
        format!(" ({} in each)", and_list(&common))
    };
    Some(Finding::new(
        Rule::HomeManagerRepeated,
        format!(
            "the Home Manager integration is configured {} times{what}",
            blocks.len()
        ),
        spans,
    ))
}

/// A standalone `homeConfigurations` entry whose own module file a NixOS
/// host already loads through `home-manager.users.<name>`.
pub(super) fn redundant_standalone(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in cx.confs.iter().filter(|c| c.kind == Kind::Home) {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for item in &c.items {
            let Module::File(mut p) = item.module.clone() else {
                continue;
            };
            if cx.ws.is_dir(&p) {
                p = p.join("default.nix");
            }
            files.push(p);
        }
        let mut matched_files = Vec::new();
        let mut hosts: Vec<String> = Vec::new();
        let mut user_spans = Vec::new();
        let mut user_names: BTreeSet<String> = BTreeSet::new();
        for file in &files {
            let loading: Vec<String> = cx
                .confs
                .iter()
                .filter(|h| h.kind == Kind::Nixos)
                .filter(|h| h.reach.files.contains(&(Kind::Home, file.clone())))
                .map(|h| h.label())
                .collect();
            if loading.is_empty() {
                continue;
            }
            matched_files.push(cx.rel(file).display().to_string());
            for h in loading {
                if !hosts.contains(&h) {
                    hosts.push(h);
                }
            }
            for block in &cx.hm {
                for user in block.users.iter().filter(|u| u.reaches.contains(file)) {
                    user_names.insert(user.user.clone());
                    let by = cx.hosts_loading(&block.module);
                    let span = Span::of(&block.file, &block.lines, user.range).labelled(
                        if by.is_empty() {
                            format!("user {}", user.user)
                        } else {
                            format!("user {} in {}", user.user, and_list(&by))
                        },
                    );
                    if !user_spans.contains(&span) {
                        user_spans.push(span);
                    }
                }
            }
        }
        if matched_files.is_empty() {
            continue;
        }
        let users: Vec<String> = user_names.into_iter().collect();
        let mut spans = vec![cx
            .span_in(c.conf.file, c.conf.entry.text_range())
            .labelled(format!("homeConfigurations.{}", c.label()))];
        spans.extend(user_spans);
        let for_users = if users.is_empty() {
            String::new()
        } else {
            format!(" for {}", and_list(&users))
        };
        out.push(Finding::new(
            Rule::RedundantStandaloneHome,
            format!(
                "homeConfigurations.{} loads {}, which the NixOS {} {} already {}{for_users}",
                c.label(),
                and_list(&matched_files),
                if hosts.len() == 1 { "host" } else { "hosts" },
                and_list(&hosts),
                if hosts.len() == 1 { "loads" } else { "load" },
            ),
            spans,
        ));
    }
    out
}
