//! Compiler-style text: one `file:line:col: severity[ID]: message` line per
//! finding with its places, fix and explanation, then the overview, what
//! is done well, the recommendations and a summary line.

use std::fmt::Write as _;

use super::wrap;
use crate::output::term::Painter;
use crate::review::{codemod_available, BuiltWith, Finding, LockState, NixpkgsUse, Report};

const WIDTH: usize = 100;

pub(super) fn render(r: &Report, color: bool) -> String {
    let mut out = String::new();
    let painter = Painter { color };
    for f in &r.findings {
        finding(&mut out, r, f, painter);
        out.push('\n');
    }
    overview(&mut out, r);
    let (e, w, i) = r.counts();
    let total = e + w + i;
    if total == 0 {
        out.push_str("no findings\n");
    } else {
        let _ = writeln!(
            out,
            "{total} finding{}: {e} error{}, {w} warning{}, {i} info",
            if total == 1 { "" } else { "s" },
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" },
        );
    }
    out
}

/// How to fix a finding, one line.
pub(super) fn fix_line(r: &Report, f: &Finding) -> String {
    match f.codemod {
        Some(c) if codemod_available(c) => r.apply_command(&[c]),
        Some(c) => format!(
            "{} (planned codemod, not in this version yet); by hand: {}",
            r.apply_command(&[c]),
            f.manual_fix()
        ),
        None if f.by_hand.is_some() => format!("by hand: {}", f.manual_fix()),
        None => format!("by hand (no codemod yet): {}", f.rule.manual_fix()),
    }
}

fn finding(out: &mut String, r: &Report, f: &Finding, painter: Painter) {
    let at = f
        .primary()
        .map(|s| s.start_string())
        .unwrap_or_else(|| r.flake.display().to_string());
    let _ = writeln!(
        out,
        "{at}: {}[{}]: {}",
        painter.severity(&f.severity().to_string()),
        f.rule.id(),
        f.message
    );
    for s in &f.spans {
        match &s.label {
            Some(l) => {
                let _ = writeln!(out, "  --> {}: {l}", s.range_string());
            }
            None => {
                let _ = writeln!(out, "  --> {}", s.range_string());
            }
        }
    }
    out.push_str(&wrap(&fix_line(r, f), WIDTH, "   = fix: ", "         "));
    out.push_str(&wrap(
        f.rule.explanation(),
        WIDTH,
        "   = why: ",
        "         ",
    ));
}

fn overview(out: &mut String, r: &Report) {
    let o = &r.overview;
    let _ = write!(
        out,
        "Overview of {}: {} lines",
        r.flake.display(),
        o.flake_lines
    );
    if let Some(d) = &o.description {
        let _ = write!(out, " ({d})");
    }
    out.push('\n');
    if !o.configurations.is_empty() {
        out.push_str("  configurations:\n");
        let names: Vec<String> = o
            .configurations
            .iter()
            .map(|c| {
                format!(
                    "{}.{}",
                    c.output,
                    c.name.clone().unwrap_or_else(|| "<generated>".into())
                )
            })
            .collect();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for (c, name) in o.configurations.iter().zip(&names) {
            let how = match &c.built_with {
                BuiltWith::Direct(t) => format!("{t} (direct)"),
                BuiltWith::Helper(h) => format!("{h} (helper)"),
                BuiltWith::Unknown => "not a builder call".into(),
            };
            let _ = writeln!(
                out,
                "    {name:width$}  {how}; {} system, {} Home Manager module files; {}",
                c.system_modules,
                c.home_modules,
                c.span.start_string()
            );
        }
    }
    if !o.inputs.is_empty() {
        out.push_str("  inputs:\n");
        let width = o
            .inputs
            .iter()
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0);
        for i in &o.inputs {
            let _ = writeln!(
                out,
                "    {:width$}  {}  ({})",
                i.name,
                i.url.as_deref().unwrap_or("(no url)"),
                nixpkgs_text(&i.nixpkgs)
            );
        }
    }
    let m = &o.modules;
    let counts = |dirs: &[crate::review::DirectoryCount]| {
        dirs.iter()
            .map(|d| {
                if d.dir == "." {
                    format!("{} beside flake.nix", d.files)
                } else {
                    format!("{} in {}", d.files, d.dir)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str("  module files reached:\n");
    let _ = writeln!(
        out,
        "    system (NixOS, nix-darwin): {}{}",
        m.system_total(),
        if m.system.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts(&m.system))
        }
    );
    let _ = writeln!(
        out,
        "    Home Manager: {}{}",
        m.home_total(),
        if m.home.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts(&m.home))
        }
    );
    if !m.not_followed.is_empty() {
        let _ = writeln!(out, "    not followed: {}", m.not_followed.join(", "));
    }
    let _ = writeln!(out, "  flake.lock: {}", lock_text(&o.lock, o.nixpkgs_nodes));
    if !o.systems.is_empty() {
        let _ = writeln!(out, "  systems: {}", o.systems.join(", "));
    }
    if !r.done_well.is_empty() {
        out.push_str("\nDone well:\n");
        for p in &r.done_well {
            out.push_str(&wrap(
                &format!("{} — {}", p.title, p.detail),
                WIDTH,
                "  ✓ ",
                "    ",
            ));
        }
    }
    let recs = r.recommendations();
    if !recs.is_empty() {
        out.push_str("\nTop 3 priorities:\n");
        for (n, rec) in recs.iter().take(3).enumerate() {
            let _ = writeln!(out, "  {}. {} [{}]", n + 1, rec.action, rec.rule.id());
        }
        out.push_str("\nRecommendations:\n");
        for (n, rec) in recs.iter().enumerate() {
            let ids = rec.rule.id();
            let count = rec.findings.len();
            let how = match (&rec.command, rec.available) {
                (Some(c), true) => match &rec.trial {
                    Some(crate::review::Trial::Refuses(why)) => {
                        format!("{c} (currently refuses: {why})")
                    }
                    _ => c.clone(),
                },
                (Some(c), false) => format!("{c} (planned codemod)"),
                (None, _) => "by hand".into(),
            };
            out.push_str(&wrap(
                &format!(
                    "[{ids}] {} ({count} finding{}): {how}",
                    rec.action,
                    if count == 1 { "" } else { "s" }
                ),
                WIDTH,
                &format!("  {}. ", n + 1),
                "     ",
            ));
        }
        if let Some(all) = r.combined_command() {
            let _ = writeln!(out, "  Every available codemod, in this order: {all}");
        }
    }
    out.push('\n');
}

pub(super) fn nixpkgs_text(n: &NixpkgsUse) -> String {
    match n {
        NixpkgsUse::IsNixpkgs => "is a nixpkgs".into(),
        NixpkgsUse::Follows(t) => format!("follows {t}"),
        NixpkgsUse::Shared => "shares the flake's nixpkgs".into(),
        NixpkgsUse::Own(node) => format!("brings its own nixpkgs: lock node {node}"),
        NixpkgsUse::NoNixpkgsInput => "no nixpkgs input".into(),
        NixpkgsUse::NotFollowed => {
            "no follows; no flake.lock to tell whether it has a nixpkgs".into()
        }
    }
}

pub(super) fn lock_text(l: &LockState, nodes: Option<usize>) -> String {
    let base = match l {
        LockState::Missing => "missing".to_string(),
        LockState::Unreadable(e) => format!("unreadable ({e})"),
        LockState::Untracked => "present, not tracked by git".into(),
        LockState::Tracked => "tracked by git".into(),
        LockState::Present => "present (not in a git repository)".into(),
    };
    match nodes {
        Some(n) => format!("{base}; {n} nixpkgs node{}", if n == 1 { "" } else { "s" }),
        None => base,
    }
}
