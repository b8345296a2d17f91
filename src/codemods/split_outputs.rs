//! `split-outputs`: move each output of a long `flake.nix` into a file of its own.
//!
//! See `codemods/split-outputs/README.md` for what it does, when it refuses
//! and what it may change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::{Applicability, Codemod, Context, Fix};
use crate::error::Error;
use crate::relocate::{self, attached_range, plan_move, MoveError};
use crate::syntax::edit::Edit;
use crate::syntax::indent::{indent_unit, Shift};
use crate::syntax::{line_indent, make, unparen};

pub struct SplitOutputs;

const NAME: &str = "split-outputs";

/// Where each output goes unless `--to` says otherwise.
pub const DEFAULT_TARGETS: &[(&str, &str)] = &[
    ("checks", "checks"),
    ("darwinConfigurations", "darwin"),
    ("devShells", "devshells"),
    ("homeConfigurations", "home"),
    ("nixosConfigurations", "hosts"),
    ("packages", "packages"),
];

impl Codemod for SplitOutputs {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "Move each output of flake.nix (hosts, home, packages...) into a file of its own"
    }
    fn applicability(&self) -> Applicability {
        Applicability::Safe
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/split-outputs/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let Some(outputs) = &flake.outputs else {
            fix.notes.push(cx.note(
                0.into(),
                "no `outputs = ...: ...;` function found; nothing to split",
            ));
            return Ok(fix);
        };
        if let Some(parts) = flake.flake_parts() {
            return split_flake_parts(cx, &parts);
        }
        if outputs.sets.is_empty() {
            fix.notes.push(cx.note(
                outputs.body.text_range().start(),
                describe_unsplit(flake, &outputs.body),
            ));
            return Ok(fix);
        }

        for operand in outputs
            .operands
            .iter()
            .filter(|o| !outputs.sets.contains(o))
        {
            fix.notes.push(cx.note(
                operand.text_range().start(),
                describe_unsplit(flake, operand),
            ));
        }
        let targets = targets(cx)?;
        let text = &flake.file.text;
        let unit = indent_unit(text);
        let flake_dir = flake.dir();
        let mut moved_binders: Vec<usize> = Vec::new();
        let mut used_dirs: BTreeSet<PathBuf> = BTreeSet::new();

        for (name, dir) in &targets {
            let defs: Vec<_> = outputs.defs_of(name).collect();
            let Some(def) = defs.first() else {
                if !cx.options.only.is_empty() {
                    return Err(cx.refuse(
                        NAME,
                        outputs.body.text_range().start(),
                        format!("--only names `{name}`, which this flake does not define"),
                    ));
                }
                continue;
            };
            let at = def.entry.text_range().start();
            // What moves: the value of `name = ...;`, or, for an output written
            // as `name.a = ...; name.b = ...;`, those entries (all in one set:
            // across `//` a later set would replace an earlier one).
            let by_parts = defs.len() > 1 || def.path.len() > 1;
            if by_parts
                && !defs
                    .iter()
                    .all(|d| d.set == def.set && d.path.len() > 1 && d.value.is_some())
            {
                fix.notes.push(cx.note(at, format!(
                    "`{name}` left in place: it is defined both as a whole and by parts, or in several sets (`{}`)",
                    defs.iter().map(|d| d.path.join(".")).collect::<Vec<_>>().join("`, `")
                )));
                continue;
            }
            let values: Vec<SyntaxNode> = defs.iter().filter_map(|d| d.value.clone()).collect();
            if values.is_empty() {
                fix.notes
                    .push(cx.note(at, format!("`{name}` left in place: it is inherited")));
                continue;
            }
            if values.iter().all(is_short_reference) {
                if cx.options.only.contains(name) {
                    fix.notes.push(cx.note(
                        at,
                        format!("`{name}` left in place: already a short reference"),
                    ));
                }
                continue;
            }

            // Target file: the default, or with --to the one named there;
            // when the default is taken, the first free conventional one.
            let candidates = if dir.explicit {
                vec![Candidate {
                    rel: PathBuf::from(&dir.dir),
                    file: None,
                    must_be_new: false,
                }]
            } else {
                candidates(name, &dir.dir)
            };
            let mut chosen = None;
            let mut first_reason = None;
            for c in &candidates {
                match occupied(cx, c, &used_dirs) {
                    None => {
                        chosen = Some(c.clone());
                        break;
                    }
                    Some(reason) => {
                        first_reason.get_or_insert(reason);
                    }
                }
            }
            let Some(chosen) = chosen else {
                let reason = first_reason.expect("at least one candidate");
                let hint = if dir.explicit {
                    format!("; move it away or choose another directory with --to {name}=DIR")
                } else {
                    format!(
                        "; no conventional place is free either; choose one with --to {name}=DIR"
                    )
                };
                let message = format!("{}{hint}", reason.message);
                return Err(match (reason.at, reason.file) {
                    (None, Some(file)) => Error::Refused {
                        codemod: NAME.into(),
                        location: Some(crate::error::Location::start_of(&file)),
                        message,
                    },
                    (at_here, _) => cx.refuse(NAME, at_here.unwrap_or(at), message),
                });
            };
            // Why the output does not go to its default place.
            let why_here =
                first_reason.filter(|_| chosen.import_path() != candidates[0].import_path());
            let rel_dir = chosen.import_path();
            let target_dir = flake_dir.join(&chosen.rel);
            let target = target_dir.join(chosen.file.unwrap_or("default.nix"));
            used_dirs.insert(target.clone());

            // Scope: what to pass, what travels along, which `with` to repeat.
            // Dynamic names below the output (`name.${host} = ...;`) move too:
            // the names they read are passed like the values' names.
            let mut scope_nodes = values.clone();
            if by_parts {
                for d in defs.iter().filter(|d| d.dynamic) {
                    let dynamic_attrs = d
                        .entry
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                        .into_iter()
                        .flat_map(|p| p.children().skip(1))
                        .filter(|a| crate::syntax::static_attr_name(a).is_none());
                    scope_nodes.extend(dynamic_attrs);
                }
            }
            let plan = plan_move(&flake.scope, &scope_nodes, &outputs.lets).map_err(|e| match e {
                MoveError::Unbound { name: n, range } => cx.refuse(NAME, range.start(), format!("`{n}` is not defined here (Nix would reject this flake); fix it first")),
                MoveError::ShadowedWith { name: n, range } => cx.refuse(NAME, range.start(), format!(
                    "`{name}` uses names that may come from a `with`, and that `with` reads `{n}`, which means something else where `{name}` is defined; cannot carry the `with` into {}", target.display()
                )),
            })?;

            // The new file.
            let relocate = |range: TextRange, remove: &str, add: &str| {
                relocate::relocated_text(
                    &flake.file.root,
                    range,
                    &flake_dir,
                    &target_dir,
                    Shift { remove, add },
                )
                .map_err(|r| {
                    cx.refuse(
                        NAME,
                        r.start(),
                        format!("cannot rewrite this path for {}", target.display()),
                    )
                })
            };
            let entry_indent = line_indent(text, usize::from(def.entry.text_range().start()));
            let entry = |range: TextRange| {
                relocate::relocated_entry(
                    &flake.file.root,
                    text,
                    range,
                    &flake_dir,
                    &target_dir,
                    &unit,
                )
                .map_err(|r| {
                    cx.refuse(
                        NAME,
                        r.start(),
                        format!("cannot rewrite this path for {}", target.display()),
                    )
                })
            };
            let body = if by_parts {
                let mut entries = Vec::new();
                for (i, d) in defs.iter().enumerate() {
                    let attached = attached_range(&d.entry, text);
                    if i > 0 {
                        // Keep a blank line that separated the parts.
                        let prev_end = attached_range(&defs[i - 1].entry, text).end();
                        let gap = &text[usize::from(prev_end)..usize::from(attached.start())];
                        if gap.contains('\n') && gap.trim().is_empty() {
                            entries.push(String::new());
                        }
                    }
                    // Comments above the first part stay above the new binding.
                    let line_start = TextSize::from(
                        flake.file.lines.line_start(d.entry.text_range().start()) as u32,
                    );
                    if i > 0 && attached.start() < line_start {
                        entries.push(entry(TextRange::new(attached.start(), line_start))?);
                    }
                    // `name.rest = value;` becomes `rest = value;`.
                    let rest = d
                        .entry
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                        .and_then(|p| p.children().nth(1))
                        .map(|a| a.text_range().start())
                        .unwrap_or(d.entry.text_range().start());
                    let end = if i == 0 {
                        d.entry.text_range().end()
                    } else {
                        attached.end()
                    };
                    entries.push(entry(TextRange::new(rest, end))?);
                }
                make::attrset(&entries)
            } else {
                String::new()
            };

            // What the new file receives: `inputs` (and `self`, helpers)
            // when the moved code uses several inputs and the outputs
            // function binds `inputs`; otherwise each name.
            let style = (!cx.options.pass_names)
                .then(|| inputs_style(flake, &plan, values[0].text_range()))
                .flatten();
            let pass = match &style {
                Some(s) => s.pass.clone(),
                None => plan.pass.clone(),
            };
            let mut bindings = Vec::new();
            for &b in &plan.moved {
                for e in &flake.scope.binders[b].entries {
                    bindings.push(entry(attached_range(e, text))?);
                }
                moved_binders.push(b);
            }
            let mut merged_let = false;
            let body = if by_parts {
                body
            } else {
                // A value that starts on the line after its `=` is shifted
                // from its own line's indentation.
                let value = &values[0];
                let value_start = usize::from(value.text_range().start());
                let remove = if crate::syntax::starts_line(text, value_start) {
                    line_indent(text, value_start)
                } else {
                    entry_indent
                };
                // A value that starts with `let` gives its bindings to the
                // file's `let`: no `let ... in let ... in`.
                let mut taken: BTreeSet<String> = pass.iter().cloned().collect();
                if let Some(s) = &style {
                    taken.extend(s.from_inputs.iter().cloned());
                }
                taken.extend(
                    plan.moved
                        .iter()
                        .map(|&b| flake.scope.binders[b].name.clone()),
                );
                let has_let = style.is_some() || !bindings.is_empty();
                match mergeable_let(flake, value, &taken).filter(|_| has_let) {
                    Some((entries, inner)) => {
                        for e in &entries {
                            bindings.push(entry(attached_range(e, text))?);
                        }
                        merged_let = true;
                        let inner_start = usize::from(inner.text_range().start());
                        let remove = if crate::syntax::starts_line(text, inner_start) {
                            line_indent(text, inner_start)
                        } else {
                            remove
                        };
                        relocate(inner.text_range(), remove, "")?
                    }
                    None => relocate(value.text_range(), remove, "")?,
                }
            };
            if let Some(s) = &style {
                // The inputs come first, set apart from the helpers.
                if !bindings.is_empty() {
                    bindings.insert(0, String::new());
                }
                bindings.insert(0, make::inherit_from(&s.inputs, &s.from_inputs, &unit));
            }
            let mut withs = Vec::new();
            for w in &plan.withs {
                if let Some(ns) = w.children().next() {
                    let indent = line_indent(text, usize::from(ns.text_range().start()));
                    withs.push(relocate(ns.text_range(), indent, "")?);
                }
            }
            let header = (!pass.is_empty()).then(|| make::formals_header(&pass, &unit));
            let content = make::file(header.as_deref(), &withs, &bindings, &body);
            fix.creates.insert(target.clone(), content);

            // flake.nix: the value becomes an import.
            if by_parts {
                // `name.a = ...; name.b = ...;` becomes one `name = import ...;`.
                let entry_start = def.entry.text_range().start();
                let binding_prefix = make::binding_prefix(name);
                let column = usize::from(entry_start) - flake.file.lines.line_start(entry_start)
                    + binding_prefix.len();
                let call = make::import_call(&rel_dir, &pass, entry_indent, &unit, column);
                fix.edit(
                    NAME,
                    flake.path.clone(),
                    Edit::replace(def.entry.text_range(), make::binding(name, &call)),
                )?;
                for d in &defs[1..] {
                    let range = relocate::removal_range(attached_range(&d.entry, text), text);
                    fix.edit(NAME, flake.path.clone(), Edit::delete(range))?;
                }
            } else {
                let value = &values[0];
                // A value on the line after its `=` comes back next to it.
                match equals_before(value) {
                    Some(eq) => {
                        let column =
                            usize::from(eq.end()) - flake.file.lines.line_start(eq.end()) + 1;
                        let call = make::import_call(&rel_dir, &pass, entry_indent, &unit, column);
                        fix.edit(
                            NAME,
                            flake.path.clone(),
                            Edit::replace(
                                TextRange::new(eq.end(), value.text_range().end()),
                                make::after_equals(&call),
                            ),
                        )?;
                    }
                    None => {
                        let column = usize::from(value.text_range().start())
                            - flake.file.lines.line_start(value.text_range().start());
                        let call = make::import_call(&rel_dir, &pass, entry_indent, &unit, column);
                        fix.edit(
                            NAME,
                            flake.path.clone(),
                            Edit::replace(value.text_range(), call),
                        )?;
                    }
                }
            }

            let parts = if by_parts {
                format!(
                    ", {},",
                    crate::output::term::count(defs.len(), "definition", "definitions")
                )
            } else {
                String::new()
            };
            let mut action = format!(
                "moved `{name}` ({}){parts} to {}",
                flake.location(at),
                target.display()
            );
            if let Some(why) = why_here {
                action.push_str(&format!(
                    " (not {}: {})",
                    flake_dir
                        .join(&candidates[0].rel)
                        .join("default.nix")
                        .display(),
                    why.message
                ));
            }
            if !pass.is_empty() {
                action.push_str(&format!(", passing {}", pass.join(", ")));
            }
            if let Some(s) = &style {
                action.push_str(&format!(
                    " (the file takes {} from `{}`)",
                    s.from_inputs.join(", "),
                    s.inputs
                ));
            }
            let along: Vec<_> = plan
                .moved
                .iter()
                .map(|&b| format!("`{}`", flake.scope.binders[b].name))
                .collect();
            if !along.is_empty() {
                action.push_str(&format!("; took along {}", along.join(", ")));
            }
            if !plan.withs.is_empty() {
                action.push_str("; repeated the enclosing `with`");
            }
            if merged_let {
                action.push_str("; merged its `let` into the file's `let`");
            }

            fix.actions.push(action);
        }

        // Remove the bindings that moved; a `let` left empty goes entirely.
        for range in relocate::let_removals(text, &flake.scope, &moved_binders) {
            fix.edit(NAME, flake.path.clone(), Edit::delete(range))?;
        }
        if !fix.is_empty() {
            unused_helpers(cx, &moved_binders, &mut fix);
            formatter_note(cx, &mut fix)?;
        }
        Ok(fix)
    }
}

/// Which formatter the repository declares, and what that means for the
/// code this run wrote.
fn formatter_note(cx: &Context, fix: &mut Fix) -> Result<(), Error> {
    let dir = cx.flake.dir();
    let mut treefmt = None;
    for name in ["treefmt.toml", ".treefmt.toml", "treefmt.nix"] {
        if let Some(text) = cx.ws.read(&dir.join(name))? {
            treefmt = Some(text);
            break;
        }
    }
    let Some((name, at)) =
        crate::syntax::format::declared_formatter(&cx.flake.file.root, treefmt.as_deref())
    else {
        return Ok(());
    };
    let message = if name == "nixfmt" || name.ends_with("(running nixfmt)") {
        format!("the repository formats with {name}: files that were nixfmt-clean are laid out by nixfmt's rules and stay clean")
    } else {
        format!("the repository formats with {name}: new code is laid out in nixfmt's style (RFC 166); run {name} on the changed files to match")
    };
    fix.notes.push(match at {
        Some(r) => cx.note(r.start(), message),
        None => crate::codemods::Note {
            location: None,
            message,
        },
    });
    Ok(())
}

/// A note for every builder helper of flake.nix that stays there without a
/// user: nothing but its own definition names it.
fn unused_helpers(cx: &Context, moved: &[usize], fix: &mut Fix) {
    let scope = &cx.flake.scope;
    let mut seen = BTreeSet::new();
    for helper in cx.flake.builder_helpers() {
        if helper.file != 0 || moved.contains(&helper.binder) || !seen.insert(helper.binder) {
            continue;
        }
        let binder = &scope.binders[helper.binder];
        let used = scope.refs.iter().any(|r| {
            r.binder == Some(helper.binder)
                && !binder
                    .entries
                    .iter()
                    .any(|e| e.text_range().contains_range(r.range))
        });
        if !used {
            fix.notes.push(cx.note(
                binder.name_range.start(),
                format!(
                    "`{}` is now unused: no output builds a configuration with it (it calls `{}`); remove it, or build the hosts that bypass it with it",
                    binder.name, helper.builder
                ),
            ));
        }
    }
}

/// Where an output goes: a directory (relative to the flake), and whether
/// `--to` named it.
#[derive(Debug, Clone)]
struct Target {
    dir: String,
    explicit: bool,
}

/// The outputs to move and their directories (relative to the flake).
fn targets(cx: &Context) -> Result<Vec<(String, Target)>, Error> {
    let mut map: BTreeMap<String, Target> = DEFAULT_TARGETS
        .iter()
        .map(|(o, d)| {
            (
                o.to_string(),
                Target {
                    dir: d.to_string(),
                    explicit: false,
                },
            )
        })
        .collect();
    for (out, dir) in &cx.options.to {
        let p = Path::new(dir);
        if p.is_absolute()
            || p.components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Error::Usage(format!("--to {out}={dir}: the directory must be a relative path inside the flake, without `..`")));
        }
        if let Some(outputs) = &cx.flake.outputs {
            if outputs.defs_of(out).next().is_none() {
                return Err(Error::Usage(format!(
                    "--to {out}={dir}: this flake does not define an output `{out}`"
                )));
            }
        }
        map.insert(
            out.clone(),
            Target {
                dir: dir.clone(),
                explicit: true,
            },
        );
    }
    if !cx.options.only.is_empty() {
        map.retain(|o, _| cx.options.only.contains(o));
        for o in &cx.options.only {
            if !map.contains_key(o) {
                return Err(Error::Usage(format!(
                    "--only {o}: no target directory for this output; add --to {o}=DIR"
                )));
            }
        }
    }
    // Move in source order, which keeps the summary readable.
    let order = |o: &str| {
        cx.flake
            .outputs
            .as_ref()
            .and_then(|out| out.defs_of(o).next().map(|d| d.entry.text_range().start()))
    };
    let mut list: Vec<(String, Target)> = map.into_iter().collect();
    list.sort_by_key(|(o, _)| order(o));
    Ok(list)
}

/// Other conventional places for an output, tried in order when its
/// default directory is taken: directories that do not exist yet, then a
/// file next to the existing ones in the default directory.
const ALTERNATIVES: &[(&str, &[&str], &str)] = &[
    ("checks", &["tests"], "checks.nix"),
    (
        "darwinConfigurations",
        &["darwin-hosts"],
        "configurations.nix",
    ),
    ("devShells", &["shells"], "shells.nix"),
    (
        "homeConfigurations",
        &["homes", "home-manager"],
        "configurations.nix",
    ),
    (
        "nixosConfigurations",
        &["nixos", "machines"],
        "configurations.nix",
    ),
    ("packages", &["pkgs"], "packages.nix"),
];

/// A place a moved output may go.
#[derive(Debug, Clone)]
struct Candidate {
    /// Its directory, relative to the flake.
    rel: PathBuf,
    /// A file name other than `default.nix`.
    file: Option<&'static str>,
    /// Only when the directory does not exist yet.
    must_be_new: bool,
}

impl Candidate {
    /// What `import` names: the directory, or the file.
    fn import_path(&self) -> PathBuf {
        match self.file {
            Some(f) => self.rel.join(f),
            None => self.rel.clone(),
        }
    }
}

/// Why a place is taken, and where that shows: in flake.nix, or the file
/// that is in the way.
struct Taken {
    message: String,
    at: Option<TextSize>,
    file: Option<PathBuf>,
}

/// The places `output` may go, its default directory `dir` first.
fn candidates(output: &str, dir: &str) -> Vec<Candidate> {
    let mut out = vec![Candidate {
        rel: PathBuf::from(dir),
        file: None,
        must_be_new: false,
    }];
    if let Some((_, dirs, file)) = ALTERNATIVES.iter().find(|(o, _, _)| *o == output) {
        out.extend(dirs.iter().map(|d| Candidate {
            rel: PathBuf::from(d),
            file: None,
            must_be_new: true,
        }));
        out.push(Candidate {
            rel: PathBuf::from(dir),
            file: Some(file),
            must_be_new: false,
        });
    }
    out
}

/// Why `c` cannot take a moved output, or `None` when it can.
fn occupied(cx: &Context, c: &Candidate, used: &BTreeSet<PathBuf>) -> Option<Taken> {
    let dir = cx.flake.dir().join(&c.rel);
    let file = dir.join(c.file.unwrap_or("default.nix"));
    let taken = |message: String| {
        Some(Taken {
            message,
            at: None,
            file: None,
        })
    };
    if used.contains(&file) {
        return taken(format!("another output moves to {}", file.display()));
    }
    if cx.ws.exists(&dir) && !cx.ws.is_dir(&dir) {
        return taken(format!(
            "cannot create {}: {} is a file",
            file.display(),
            dir.display()
        ));
    }
    if c.must_be_new && cx.ws.exists(&dir) {
        return taken(format!("{} already exists", dir.display()));
    }
    if cx.ws.exists(&file) {
        return Some(Taken {
            message: format!("{} already exists", file.display()),
            at: None,
            file: Some(file),
        });
    }
    if cx.ws.is_dir(&dir) {
        // A new file would change what a directory read sees.
        if let Some(path) = directory_reference(cx, &dir) {
            return Some(Taken {
                message: format!(
                    "`{}` reads {} as a directory; a new file there could change what it reads",
                    path.text(),
                    dir.display()
                ),
                at: Some(path.text_range().start()),
                file: None,
            });
        }
    }
    None
}

/// A path literal in flake.nix that names `dir` itself (as `builtins.readDir
/// ./hosts` or `./hosts` passed around as a directory do).
fn directory_reference(cx: &Context, dir: &Path) -> Option<SyntaxNode> {
    let flake_dir = cx.flake.dir();
    cx.flake
        .file
        .root
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL && n.children().next().is_none())
        // `import ./dir` reads dir/default.nix only.
        .filter(|n| {
            !n.parent().is_some_and(|p| {
                p.kind() == SyntaxKind::NODE_APPLY
                    && p.first_child().is_some_and(|f| f.text() == "import")
                    && p.last_child().as_ref() == Some(n)
            })
        })
        .find(|n| {
            relocate::rebase_path(&n.text().to_string(), false, &flake_dir, dir).as_deref()
                == Some("./.")
        })
}

/// How a new file receives the inputs it uses through `inputs`.
struct InputsStyle {
    /// The name the outputs function binds its whole argument to.
    inputs: String,
    /// The inputs the moved code uses by name, taken in the new file with
    /// `inherit (inputs) ...;`.
    from_inputs: Vec<String>,
    /// What the import call passes instead of the plan's names.
    pass: Vec<String>,
}

/// `inherit inputs self;` instead of each input by name, when the outputs
/// function binds its argument to a name (`@inputs`, `inputs@`, `inputs:`)
/// and the code at `at` uses two or more inputs: through formals of that
/// function, or `inputs` itself.
fn inputs_style(
    flake: &crate::flake::Flake,
    plan: &relocate::MovePlan,
    at: TextRange,
) -> Option<InputsStyle> {
    use crate::scope::BinderKind;
    let outputs = flake.outputs.as_ref()?;
    let inputs = outputs
        .param
        .at
        .clone()
        .or_else(|| outputs.param.ident.clone())?;
    let scope = &flake.scope;
    let bound_by_outputs = |name: &str, kinds: &[BinderKind]| {
        relocate::resolve_at(scope, name, at).is_some_and(|b| {
            kinds.contains(&scope.binders[b].kind) && scope.binders[b].scope == outputs.lambda
        })
    };
    if !bound_by_outputs(&inputs, &[BinderKind::PatternBind, BinderKind::Param]) {
        return None;
    }
    let from_inputs: Vec<String> = plan
        .pass
        .iter()
        .filter(|n| *n != "self" && **n != inputs)
        .filter(|n| bound_by_outputs(n, &[BinderKind::Formal]))
        .cloned()
        .collect();
    // `inputs` itself (`specialArgs = { inherit inputs; }`) counts as one.
    let uses_inputs = plan.pass.contains(&inputs);
    if from_inputs.is_empty() || from_inputs.len() + usize::from(uses_inputs) < 2 {
        return None;
    }
    let mut pass: BTreeSet<String> = plan
        .pass
        .iter()
        .filter(|n| !from_inputs.contains(n))
        .cloned()
        .collect();
    pass.insert(inputs.clone());
    Some(InputsStyle {
        inputs,
        from_inputs,
        pass: pass.into_iter().collect(),
    })
}

/// When `value` is a `let ... in` whose bindings can join the new file's
/// `let`: its entries and its body. Not when it binds one of the `taken`
/// names (the merge would change what they mean), binds a dynamic name, or
/// holds a comment that belongs to no entry.
fn mergeable_let(
    flake: &crate::flake::Flake,
    value: &SyntaxNode,
    taken: &BTreeSet<String>,
) -> Option<(Vec<SyntaxNode>, SyntaxNode)> {
    if value.kind() != SyntaxKind::NODE_LET_IN {
        return None;
    }
    let text = &flake.file.text;
    let entries: Vec<SyntaxNode> = value
        .children()
        .filter(|c| {
            matches!(
                c.kind(),
                SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
            )
        })
        .collect();
    let body = value.children().last()?;
    if entries.is_empty() || entries.contains(&body) {
        return None;
    }
    let bound: Vec<&crate::scope::Binder> = flake
        .scope
        .binders
        .iter()
        .filter(|b| b.scope == *value)
        .collect();
    let all_named = entries
        .iter()
        .filter(|e| e.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .all(|e| bound.iter().any(|b| b.entries.contains(e)));
    if !all_named || bound.iter().any(|b| taken.contains(&b.name)) {
        return None;
    }
    let attached: Vec<TextRange> = entries.iter().map(|e| attached_range(e, text)).collect();
    let orphan_comment = value
        .children_with_tokens()
        .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
        .any(|c| !attached.iter().any(|r| r.contains_range(c.text_range())));
    if orphan_comment {
        return None;
    }
    Some((entries, body))
}

/// The `=` of the binding whose value is `value`, when the value starts
/// on a later line with nothing but blanks between them.
fn equals_before(value: &SyntaxNode) -> Option<TextRange> {
    let mut tok = value.first_token()?.prev_token();
    let mut newline = false;
    while let Some(t) = tok {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE => newline |= t.text().contains('\n'),
            SyntaxKind::TOKEN_ASSIGN if newline => return Some(t.text_range()),
            _ => return None,
        }
        tok = t.prev_token();
    }
    None
}

/// An output value that is already short: one line, or an `import` call.
fn is_short_reference(value: &SyntaxNode) -> bool {
    if !value.text().contains_char('\n') {
        return true;
    }
    let mut head = unparen(value.clone());
    while head.kind() == SyntaxKind::NODE_APPLY {
        match head.first_child() {
            Some(f) => head = unparen(f),
            None => break,
        }
    }
    head.kind() == SyntaxKind::NODE_IDENT && head.text() == "import"
}

/// Why outputs made by `expr` (not an attribute set written in flake.nix)
/// are left in place, naming what the model sees there.
fn describe_unsplit(flake: &crate::flake::Flake, expr: &SyntaxNode) -> String {
    use crate::flake::eval::Whnf;
    use crate::flake::model::Origin;
    let model = flake.outputs_model();
    let within = |origin: &dyn Fn(&Origin) -> bool| -> Vec<String> {
        let mut names: Vec<String> = model
            .sources
            .iter()
            .filter(|s| origin(&s.origin))
            .filter(|s| {
                expr.text_range()
                    .contains_range(s.entry.entry.node.text_range())
                    || s.entry.entry.file != 0
            })
            .map(|s| s.name.clone())
            .collect();
        names.dedup();
        names
    };
    let list = |names: &[String]| {
        if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        }
    };
    match flake.resolve(&flake.val(expr.clone())) {
        Whnf::Call { function, .. } if function.is_function("mkFlake") => {
            let names = within(&|o| *o == Origin::FlakeParts);
            format!(
                "outputs are built by flake-parts' `{}`{}; split-outputs does not move flake-parts modules yet: move `flake.<output>` and `perSystem` into modules listed in `imports` by hand; left in place",
                one_line(expr),
                list(&names)
            )
        }
        Whnf::Call { function, .. }
            if ["eachDefaultSystem", "eachSystem", "eachDefaultSystemMap"]
                .iter()
                .any(|g| function.is_function(g)) =>
        {
            let names = within(&|o| matches!(o, Origin::PerSystem { .. }));
            format!(
                "outputs{} are made per system by `{}`; split-outputs moves outputs written as attributes of the outputs set, not those inside a per-system function; left in place",
                list(&names),
                one_line(expr)
            )
        }
        _ if expr.kind() == SyntaxKind::NODE_APPLY
            && expr.first_child().is_some_and(|f| {
                f.text() == "import" || f.first_child().is_some_and(|g| g.text() == "import")
            }) =>
        {
            format!(
                "outputs are already delegated (`{}`); nothing to split",
                one_line(expr)
            )
        }
        _ => format!(
            "outputs produced by `{}` are not an attribute set written in flake.nix; left in place",
            one_line(expr)
        ),
    }
}

fn one_line(node: &SyntaxNode) -> String {
    let t = node.text().to_string();
    let first = t.lines().next().unwrap_or_default();
    let short: String = first.chars().take(60).collect();
    if t.contains('\n') || short.len() < first.len() {
        format!("{short} ...")
    } else {
        short
    }
}

/// Where each part of a flake-parts flake goes: `flake.<output>` to the
/// output's directory, `perSystem` to `per-system/`.
const FLAKE_PARTS_TARGETS: &[(&str, &str)] = &[
    ("darwinConfigurations", "darwin"),
    ("homeConfigurations", "home"),
    ("nixosConfigurations", "hosts"),
    ("perSystem", "per-system"),
];

/// The natural split of a flake-parts flake: `flake.nixosConfigurations`,
/// `flake.homeConfigurations`, `flake.darwinConfigurations` and `perSystem`
/// move into flake-parts modules of their own, listed in `imports`. A module
/// receives `inputs` and `self` as module arguments; the other inputs the
/// moved code names are taken from `inputs`; `let` bindings only the moved
/// code uses travel with it.
fn split_flake_parts(cx: &Context, parts: &crate::flake::parts::FlakeParts) -> Result<Fix, Error> {
    let flake = cx.flake;
    let mut fix = Fix::default();
    let Some(outputs) = &flake.outputs else {
        return Ok(fix);
    };
    let text = &flake.file.text;
    let unit = indent_unit(text);
    let flake_dir = flake.dir();
    // The names the outputs function binds, and how a module reaches them.
    let at_name = outputs
        .param
        .at
        .clone()
        .or_else(|| outputs.param.ident.clone());
    let mut targets: BTreeMap<&str, String> = FLAKE_PARTS_TARGETS
        .iter()
        .map(|(o, d)| (*o, d.to_string()))
        .collect();
    for (out, dir) in &cx.options.to {
        if let Some(t) = targets.get_mut(out.as_str()) {
            *t = dir.clone();
        }
    }
    if !cx.options.only.is_empty() {
        targets.retain(|o, _| cx.options.only.iter().any(|x| x == o));
    }
    let mut new_imports: Vec<PathBuf> = Vec::new();
    let mut moved_binders: Vec<usize> = Vec::new();
    let mut removed: Vec<SyntaxNode> = Vec::new();
    for (output, dir) in &targets {
        // What moves: the `perSystem` entry, or the `flake.<output>` entries.
        let entries: Vec<(SyntaxNode, bool)> = if *output == "perSystem" {
            parts
                .per_system
                .iter()
                .map(|e| (e.clone(), false))
                .collect()
        } else {
            parts
                .flake_entries
                .iter()
                .filter(|e| e.output == *output)
                .map(|e| (e.entry.clone(), e.nested))
                .collect()
        };
        let Some((first, _)) = entries.first() else {
            continue;
        };
        let at = first.text_range().start();
        let values: Vec<SyntaxNode> = entries
            .iter()
            .filter_map(|(e, _)| crate::syntax::attr_value(e))
            .collect();
        if values.iter().all(is_short_reference) {
            continue;
        }
        let rel_dir = PathBuf::from(dir);
        let target_dir = flake_dir.join(&rel_dir);
        let target = target_dir.join("default.nix");
        if cx.ws.exists(&target) || (cx.ws.exists(&target_dir) && !cx.ws.is_dir(&target_dir)) {
            return Err(cx.refuse(
                NAME,
                at,
                format!(
                    "{} already exists; choose another directory with --to {output}=DIR",
                    target.display()
                ),
            ));
        }
        let nodes: Vec<SyntaxNode> = entries.iter().map(|(e, _)| e.clone()).collect();
        let plan = plan_move(&flake.scope, &nodes, &outputs.lets).map_err(|e| match e {
            MoveError::Unbound { name: n, range } => cx.refuse(NAME, range.start(), format!("`{n}` is not defined here (Nix would reject this flake); fix it first")),
            MoveError::ShadowedWith { name: n, range } => cx.refuse(NAME, range.start(), format!("`{output}` uses names that may come from a `with` that reads `{n}`; cannot carry it into a flake-parts module")),
        })?;
        if !plan.withs.is_empty() {
            return Err(cx.refuse(
                NAME,
                at,
                format!("`{output}` uses names that may come from an enclosing `with`; a flake-parts module cannot carry it: left for you to move"),
            ));
        }
        // A module gets `inputs` and `self`; the other names must be inputs.
        let mut from_inputs: Vec<String> = Vec::new();
        let mut args: Vec<String> = vec!["inputs".into()];
        let mut shared: Option<(TextSize, String)> = None;
        for name in &plan.pass {
            if name == "self" {
                args.push("self".into());
            } else if Some(name) == at_name.as_ref() && name == "inputs" {
            } else if outputs.param.formals.contains(name) {
                from_inputs.push(name.clone());
            } else {
                let binder = flake.scope.binders.iter().find(|b| &b.name == name);
                let at = binder.map(|b| b.name_range.start()).unwrap_or(at);
                shared = Some((at, format!(
                    "`{output}` uses `{name}`, which other code of flake.nix uses too; a flake-parts module receives only module arguments (pass it with `_module.args` first, or move it by hand)"
                )));
                break;
            }
        }
        if let Some((at, message)) = shared {
            // Asked for by name: a refusal; otherwise the output stays
            // where it is (exactly as it was) and the others move.
            if !cx.options.only.is_empty() {
                return Err(cx.refuse(NAME, at, message));
            }
            fix.notes
                .push(cx.note(at, format!("{message}; left in place")));
            continue;
        }
        // The new module.
        let entry_text = |range: TextRange| {
            relocate::relocated_entry(
                &flake.file.root,
                text,
                range,
                &flake_dir,
                &target_dir,
                &unit,
            )
            .map_err(|r| {
                cx.refuse(
                    NAME,
                    r.start(),
                    format!("cannot rewrite this path for {}", target.display()),
                )
            })
        };
        let mut body_entries = Vec::new();
        for (entry, nested) in &entries {
            // Comments above the entry move with it, above it.
            let attached = attached_range(entry, text);
            let line_start =
                TextSize::from(flake.file.lines.line_start(entry.text_range().start()) as u32);
            if attached.start() < line_start {
                body_entries.push(entry_text(TextRange::new(attached.start(), line_start))?);
            }
            let moved = entry_text(TextRange::new(
                line_start.max(attached.start()),
                attached.end(),
            ))?;
            // Inside `flake = { ... };` the path lacks its `flake.` prefix.
            body_entries.push(if *nested {
                make::prefixed_entry("flake", &moved)
            } else {
                moved
            });
            removed.push(entry.clone());
        }
        let mut bindings = Vec::new();
        if !from_inputs.is_empty() {
            bindings.push(make::inherit_from("inputs", &from_inputs, &unit));
        }
        for &b in &plan.moved {
            for e in &flake.scope.binders[b].entries {
                bindings.push(entry_text(attached_range(e, text))?);
            }
            moved_binders.push(b);
        }
        let header = make::formals_header(&args, &unit);
        let content = make::file(Some(&header), &[], &bindings, &make::attrset(&body_entries));
        fix.creates.insert(target.clone(), content);
        new_imports.push(rel_dir.clone());
        let mut action = format!(
            "moved `{}` ({}) into the flake-parts module {}, listed in `imports`",
            if *output == "perSystem" {
                "perSystem".to_string()
            } else {
                format!("flake.{output}")
            },
            flake.location(at),
            target.display()
        );
        if !from_inputs.is_empty() {
            action.push_str(&format!(
                "; it takes {} from `inputs`",
                from_inputs.join(", ")
            ));
        }
        if !plan.moved.is_empty() {
            let along: Vec<_> = plan
                .moved
                .iter()
                .map(|&b| format!("`{}`", flake.scope.binders[b].name))
                .collect();
            action.push_str(&format!("; took along {}", along.join(", ")));
        }
        fix.actions.push(action);
    }
    if new_imports.is_empty() {
        fix.notes.push(cx.note(
            parts.module.text_range().start(),
            "flake-parts module: nothing to move (no `flake.<configurations>` or `perSystem` written here)",
        ));
        return Ok(fix);
    }
    // flake.nix: the moved entries go; a `flake = { ... };` left empty goes
    // too. Removals that only blanks separate are one removal.
    let flake_emptied = parts.flake_set.as_ref().is_some_and(|set| {
        set.children()
            .filter(|c| {
                matches!(
                    c.kind(),
                    SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                )
            })
            .all(|c| removed.contains(&c))
    });
    let flake_entry = parts.flake_set.as_ref().and_then(|s| s.parent());
    let mut ranges: Vec<TextRange> = Vec::new();
    for entry in &removed {
        if flake_emptied
            && flake_entry
                .as_ref()
                .is_some_and(|f| f.text_range().contains_range(entry.text_range()))
        {
            continue;
        }
        ranges.push(relocate::removal_range(attached_range(entry, text), text));
    }
    if let (true, Some(f)) = (flake_emptied, &flake_entry) {
        ranges.push(relocate::removal_range(attached_range(f, text), text));
    }
    ranges.sort_by_key(|r| r.start());
    let mut merged: Vec<TextRange> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last)
                if last.end() <= r.start()
                    && text[usize::from(last.end())..usize::from(r.start())]
                        .trim()
                        .is_empty() =>
            {
                *last = last.cover(r)
            }
            _ => merged.push(r),
        }
    }
    // A removal that ends the module leaves no blank line before its `}`.
    for r in &mut merged {
        let after = text[usize::from(r.end())..].trim_start();
        if after.starts_with('}') {
            let before = &text[..usize::from(r.start())];
            let kept = before.trim_end_matches([' ', '\t', '\n']);
            if before[kept.len()..].contains('\n') {
                let start = kept.len() + 1;
                *r = TextRange::new(TextSize::from(start as u32), r.end());
            }
        }
    }
    // `imports`: extend the list, or put one where the first moved entry was.
    let imports_here = parts.imports.is_none();
    for (i, range) in merged.iter().enumerate() {
        if i == 0 && imports_here {
            // The indentation of the module's entries.
            let indent = parts
                .module
                .children()
                .next()
                .map(|c| line_indent(text, usize::from(c.text_range().start())).to_string())
                .unwrap_or_else(|| unit.clone());
            let starts_line = crate::syntax::starts_line(text, usize::from(range.start()));
            let entry = make::imports_entry(&new_imports);
            let replacement = if starts_line {
                make::entry_line(&indent, &entry)
            } else {
                entry
            };
            fix.edit(NAME, flake.path.clone(), Edit::replace(*range, replacement))?;
        } else {
            fix.edit(NAME, flake.path.clone(), Edit::delete(*range))?;
        }
    }
    if let Some((_, list)) = &parts.imports {
        let close = list
            .children_with_tokens()
            .filter(|t| t.kind() == SyntaxKind::TOKEN_R_BRACK)
            .last()
            .map(|t| t.text_range().start())
            .unwrap_or(list.text_range().end());
        let items: Vec<String> = new_imports.iter().map(|d| make::path_literal(d)).collect();
        let indent = line_indent(text, usize::from(close)).to_string();
        let multiline = list.text().contains_char('\n');
        let insert = make::list_append(
            &items,
            multiline.then_some((unit.as_str(), indent.as_str())),
        );
        fix.edit(NAME, flake.path.clone(), Edit::insert(close, insert))?;
    }
    for range in relocate::let_removals(text, &flake.scope, &moved_binders) {
        fix.edit(NAME, flake.path.clone(), Edit::delete(range))?;
    }
    Ok(fix)
}
