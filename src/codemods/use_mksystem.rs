//! `use-mksystem`: every host through one helper, each call proven to be
//! the host it replaces.
//!
//! The recipe:
//! 1. Ask the model for the configurations and the builder helpers (found by
//!    what they do, not by name).
//! 2. A helper that some hosts bypass (they call the builder directly) is
//!    generalised: its body is matched against each bypassing host
//!    ([`unify::lift`]); every difference becomes a parameter whose default
//!    is the helper's current code, so existing calls keep their meaning.
//! 3. Without a helper, hosts of one builder are clustered: the hosts
//!    sharing the most with the others become calls of a new helper built
//!    from them (`mkSystem`, `mkDarwin`, or `--name`), placed in the
//!    outputs' `let`. Outliers stay, with a note.
//! 4. The proof, always: every rewritten host's call is beta-reduced with
//!    the new helper ([`unify::helper::prove_call`]) and must be the host
//!    structurally; the new helper applied to its own formals must reduce
//!    to the old one's body (which covers every existing call); and every
//!    name the helper reads must mean the same at each host. Any mismatch
//!    refuses the whole run.

use std::collections::BTreeMap;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::{Applicability, Codemod, Context, Fix, Note};
use crate::error::Error;
use crate::error::Location;
use crate::flake::eval::{FileId, SrcRef};
use crate::flake::model::{Configuration, Via};
use crate::syntax::edit::Edit;
use crate::syntax::{indent, line_indent, make, unparen};
use crate::unify::equal_modulo_trivia;
use crate::unify::helper::{free_names, names_read, pattern_of, peel_positional, reduce, Prepared};
use crate::unify::lift::{lift, Lift, LiftOptions, Outlier, OutlierKind};

const NAME: &str = "use-mksystem";

pub struct UseMksystem;

impl Codemod for UseMksystem {
    fn name(&self) -> &'static str {
        NAME
    }

    fn summary(&self) -> &'static str {
        "Build every host through one helper, each call proven to be the host it replaces"
    }

    fn applicability(&self) -> Applicability {
        Applicability::Safe
    }

    fn docs(&self) -> &'static str {
        include_str!("../../codemods/use-mksystem/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let configs = flake.configurations();
        let helpers = flake.builder_helpers();
        // Each program file on its own: a helper and the hosts that bypass
        // it are in one file (flake.nix, or `hosts/default.nix` after
        // split-outputs).
        for file in flake.program_files() {
            if !configs.iter().any(|c| c.file == file) && !helpers.iter().any(|h| h.file == file) {
                continue;
            }
            let here = Here {
                cx,
                file,
                src: flake.src(file),
            };
            in_file(&here, &mut fix, &configs, &helpers)?;
        }
        Ok(fix)
    }
}

/// The file a run works in: its text, scope and place.
struct Here<'a> {
    cx: &'a Context<'a>,
    file: FileId,
    src: SrcRef<'a>,
}

impl Here<'_> {
    fn text(&self) -> &str {
        &self.src.file().text
    }
    fn root(&self) -> &SyntaxNode {
        &self.src.file().root
    }
    fn scope(&self) -> &crate::scope::ScopeIndex {
        self.src.scope()
    }
    fn path(&self) -> std::path::PathBuf {
        self.src.path().to_path_buf()
    }
    fn loc(&self, offset: rnix::TextSize) -> Location {
        self.src.location(TextRange::empty(offset))
    }
    fn refuse(&self, offset: rnix::TextSize, message: impl Into<String>) -> Error {
        Error::Refused {
            codemod: NAME.to_string(),
            location: Some(self.loc(offset)),
            message: message.into(),
        }
    }
    fn note(&self, offset: rnix::TextSize, message: impl Into<String>) -> Note {
        Note {
            location: Some(self.loc(offset)),
            message: message.into(),
        }
    }
}

fn in_file(
    here: &Here,
    fix: &mut Fix,
    configs: &[Configuration],
    helpers: &[crate::flake::model::Helper],
) -> Result<(), Error> {
    let flake = here.cx.flake;
    let mut fix = fix;
    let unit = indent::indent_unit(here.text());
    {
        for builder in ["nixosSystem", "darwinSystem"] {
            let direct: Vec<&Configuration> = configs
                .iter()
                .filter(|c| is_direct_host(here.file, c, builder))
                .collect();
            let own: Vec<_> = helpers
                .iter()
                .filter(|h| h.file == here.file && h.builder == builder)
                .collect();
            let mut used_one = false;
            for h in &own {
                let calls: Vec<&Configuration> = configs
                    .iter()
                    .filter(|c| {
                        c.call.as_ref().is_some_and(|call| {
                            matches!(&call.via, Via::Helper { lambda, binder, .. } if *binder == Some((h.file, h.binder)) || lambda.0 == h.file && lambda.1 == h.lambda.node.text_range())
                        })
                    })
                    .collect();
                if calls.is_empty() {
                    unused_helper(here, fix, h.binder, &h.name, h.lambda.node.text_range())?;
                    continue;
                }
                if used_one || direct.is_empty() {
                    used_one = true;
                    continue;
                }
                used_one = generalise_helper(
                    here,
                    fix,
                    h.binder,
                    &h.name,
                    &h.lambda.node,
                    &direct,
                    &calls,
                    &unit,
                    None,
                )?;
            }
            let elsewhere = helpers
                .iter()
                .find(|h| h.file != here.file && h.builder == builder);
            if let (true, Some(h)) = (own.is_empty(), elsewhere) {
                if !direct.is_empty() {
                    let helper_here = Here {
                        cx: here.cx,
                        file: h.file,
                        src: flake.src(h.file),
                    };
                    match across(here, h, configs, &direct) {
                        Ok(a) => {
                            let calls: Vec<&Configuration> = configs
                                .iter()
                                .filter(|c| c.call.as_ref().is_some_and(|k| a.enters(&k.via, h)))
                                .collect();
                            let helper_unit = indent::indent_unit(helper_here.text());
                            generalise_helper(
                                &helper_here,
                                fix,
                                h.binder,
                                &h.name,
                                &h.lambda.node,
                                &direct,
                                &calls,
                                &helper_unit,
                                Some(&a),
                            )?;
                        }
                        Err(why) => fix.notes.push(Note {
                            location: Some(flake.location_of(&h.lambda)),
                            message: format!(
                                "`{}` is defined in another file than the hosts that bypass it ({}), and {why}; they are left as they are",
                                h.name,
                                here.path().display()
                            ),
                        }),
                    }
                }
                continue;
            }
            if own.is_empty() && direct.len() >= 2 {
                new_helper(here, fix, builder, &direct, &unit)?;
            }
        }
    }
    let _ = &mut fix;
    Ok(())
}

/// A helper defined in another file than the hosts that bypass it (a
/// `lib/` file exported as `self.lib.mkSystem`): how the hosts reach it,
/// and how the names and paths of its file read at the hosts.
struct Across<'a, 'b> {
    /// The hosts' file.
    host: &'a Here<'b>,
    /// The helper as an existing call in the hosts' file names it
    /// (`self.lib.mkSystem`, `lib.mkSystem`); it means the same at every
    /// bypassing host.
    head: String,
    /// That call's builder call, in the helper's file, with the arguments
    /// its file was given at the import call.
    at: crate::flake::eval::Val,
    helper_dir: std::path::PathBuf,
    host_dir: std::path::PathBuf,
}

fn dir_of(p: &std::path::Path) -> std::path::PathBuf {
    p.parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}

/// How the hosts of `host`'s file reach helper `h` of another file, or why
/// it cannot be told (a note).
fn across<'a, 'b>(
    host: &'a Here<'b>,
    h: &crate::flake::model::Helper,
    configs: &[Configuration],
    direct: &[&Configuration],
) -> Result<Across<'a, 'b>, String> {
    let flake = host.cx.flake;
    let lambda = unparen(h.lambda.node.clone());
    // The helper is the function its binding is bound to, taking one
    // attribute set (not a partial application, not curried).
    let hsrc = flake.src(h.file);
    let bound = hsrc.scope().binders[h.binder]
        .entries
        .first()
        .and_then(crate::syntax::attr_value)
        .map(unparen);
    if bound.map(|b| b.text_range()) != Some(lambda.text_range())
        || !peel_positional(&lambda).0.is_empty()
    {
        return Err("it is not a function of one attribute set".into());
    }
    let range = (h.file, h.lambda.node.text_range());
    let existing = configs
        .iter()
        .find(|c| {
            c.file == host.file
                && c.value.file == host.file
                && c.entry
                    .text_range()
                    .contains_range(c.value.node.text_range())
                && c.call.as_ref().is_some_and(
                    |k| matches!(&k.via, Via::Helper { lambda, .. } if *lambda == range),
                )
        })
        .ok_or("no host there calls it, so how it is reached from there is not known")?;
    let call = existing.call.as_ref().expect("a call");
    let apply = unparen(existing.value.node.clone());
    let head = (apply.kind() == SyntaxKind::NODE_APPLY)
        .then(|| apply.first_child().map(unparen))
        .flatten()
        .filter(|f| {
            f.descendants().all(|d| {
                matches!(
                    d.kind(),
                    SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT | SyntaxKind::NODE_ATTRPATH
                )
            })
        })
        .ok_or_else(|| {
            format!(
                "{} reaches it through an expression other than a name",
                host_label(existing)
            )
        })?;
    for r in host.scope().free_in(head.text_range()) {
        if r.binder.is_none() || !r.withs.is_empty() {
            return Err(format!("`{}` is not bound where it is called", r.name));
        }
        for d in direct {
            if host
                .scope()
                .resolve_at(&r.name, d.value.node.text_range().start())
                != r.binder
            {
                return Err(format!(
                    "`{}` does not mean at {} what it means at {}",
                    r.name,
                    host_label(d),
                    host_label(existing)
                ));
            }
        }
    }
    if call.call.file != h.file {
        return Err("its builder call is not in its file".into());
    }
    private_to_calls(host, h, configs, &head, hsrc.path())?;
    Ok(Across {
        host,
        head: head.text().to_string(),
        at: call.call.clone(),
        helper_dir: dir_of(hsrc.path()),
        host_dir: dir_of(&host.path()),
    })
}

/// New parameters change the helper's function, so it must not be part of
/// any output (`self.lib.mkSystem` is: `lib` would change): the hosts reach
/// it through a `let` name bound to the only import of its file, and every
/// use of that name is `head { ... }` building a configuration through the
/// helper (so the lib file's value goes nowhere else).
fn private_to_calls(
    host: &Here,
    h: &crate::flake::model::Helper,
    configs: &[Configuration],
    head: &SyntaxNode,
    helper_path: &std::path::Path,
) -> Result<(), String> {
    let flake = host.cx.flake;
    let exported = |root: &str| {
        format!(
            "the hosts reach it through `{root}`, which may be part of an output: new parameters would change that output (the function's arguments), which this safe codemod does not do"
        )
    };
    let root = head
        .descendants()
        .find(|d| d.kind() == SyntaxKind::NODE_IDENT)
        .ok_or("it is reached through no name")?;
    let root_name = root.text().to_string();
    let b = host
        .scope()
        .reference_at(root.text_range())
        .and_then(|r| r.binder)
        .ok_or_else(|| exported(&root_name))?;
    let binder = &host.scope().binders[b];
    if binder.kind != crate::scope::BinderKind::Let {
        return Err(exported(&root_name));
    }
    // `lib = import ./lib { ... };`
    let value = binder
        .entries
        .first()
        .filter(|e| e.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .and_then(crate::syntax::attr_value)
        .map(unparen)
        .ok_or_else(|| exported(&root_name))?;
    let mut f = value.clone();
    while f.kind() == SyntaxKind::NODE_APPLY {
        f = f
            .first_child()
            .map(unparen)
            .ok_or_else(|| exported(&root_name))?;
    }
    let is_import = f.kind() == SyntaxKind::NODE_IDENT
        && f.text() == "import"
        && host
            .scope()
            .reference_at(f.text_range())
            .is_some_and(|r| r.binder.is_none() && r.withs.is_empty());
    if !is_import {
        return Err(exported(&root_name));
    }
    // Every use of the name is a call of the helper building a host.
    let head_text = head.text().to_string();
    for r in host.scope().refs.iter().filter(|r| r.binder == Some(b)) {
        let select = host
            .root()
            .descendants()
            .find(|n| n.kind() == SyntaxKind::NODE_IDENT && n.text_range() == r.range)
            .and_then(|n| n.ancestors().find(|a| a.kind() != SyntaxKind::NODE_IDENT));
        let apply = select
            .as_ref()
            .filter(|s| s.text() == head_text.as_str())
            .and_then(|s| s.parent().filter(|p| p.first_child().as_ref() == Some(s)));
        let builds = apply.is_some_and(|a| {
            a.kind() == SyntaxKind::NODE_APPLY
                && configs.iter().any(|c| {
                    c.value.file == host.file
                        && c.value.node.text_range() == a.text_range()
                        && c.call.as_ref().is_some_and(|k| {
                            matches!(&k.via, Via::Helper { lambda, .. } if lambda.0 == h.file && lambda.1 == h.lambda.node.text_range())
                        })
                })
        });
        if !builds {
            return Err(format!(
                "`{root_name}` at {} is used otherwise than to call it for a host, so its value may reach an output",
                host.loc(r.range.start())
            ));
        }
    }
    // The helper's file is imported once (by that `let`): no path of the
    // program may name it otherwise.
    let dir = (helper_path.file_name() == Some(std::ffi::OsStr::new("default.nix")))
        .then(|| dir_of(helper_path));
    let mut imports = 0;
    for file in flake.program_files() {
        let src = flake.src(file);
        for p in src
            .file()
            .root
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_PATH_REL)
        {
            let v = crate::flake::eval::Val {
                file,
                node: p.clone(),
                env: Default::default(),
            };
            match flake.path_value(&v) {
                Some(t) if t == helper_path || Some(&t) == dir.as_ref() => imports += 1,
                Some(_) => {}
                // An interpolated path whose literal start names a directory
                // the helper's file is not in (`../hosts/${name}.nix`).
                None if p.first_token().is_some_and(|t| {
                    let text = t.text();
                    let prefix = &text[..text.rfind('/').map_or(0, |i| i + 1)];
                    crate::modules::normalize_rel(&src.dir().join(prefix))
                        .is_some_and(|d| !dir_of(helper_path).starts_with(&d))
                }) => {}
                None => {
                    return Err(format!(
                        "the path at {} may name its file",
                        src.location(p.text_range())
                    ))
                }
            }
        }
    }
    if imports != 1 {
        return Err(format!(
            "its file is named by {imports} paths of the flake, so it may reach an output"
        ));
    }
    Ok(())
}

impl Across<'_, '_> {
    /// Whether a configuration's call enters helper `h`.
    fn enters(&self, via: &Via, h: &crate::flake::model::Helper) -> bool {
        matches!(via, Via::Helper { lambda, .. } if lambda.0 == h.file && lambda.1 == h.lambda.node.text_range())
    }

    fn no_shift() -> indent::Shift<'static> {
        indent::Shift {
            remove: "",
            add: "",
        }
    }

    /// Host `c` as it reads in the helper's file: relative paths rebased.
    fn to_helper(&self, c: &Configuration) -> Result<SyntaxNode, Error> {
        let text = crate::relocate::relocated_text(
            self.host.root(),
            c.value.node.text_range(),
            &self.host_dir,
            &self.helper_dir,
            Self::no_shift(),
        )
        .map_err(|r| {
            self.host.refuse(
                r.start(),
                format!(
                    "{}: this relative path cannot be written from {}, where the helper is",
                    host_label(c),
                    self.helper_dir.display()
                ),
            )
        })?;
        // At the indentation of its line, so that arguments taken from it
        // keep their layout.
        let indent = line_indent(
            self.host.text(),
            usize::from(c.value.node.text_range().start()),
        );
        parse(&format!("{indent}{text}"))
            .and_then(|r| r.first_child())
            .ok_or_else(|| {
                self.host.refuse(
                    c.value.node.text_range().start(),
                    format!("{}: rebased, the host does not parse", host_label(c)),
                )
            })
    }

    /// An argument found in the helper's file's terms, as written at host
    /// `c`: relative paths rebased back, checked both ways.
    fn to_host(&self, v: &str, c: &Configuration) -> Result<String, Error> {
        let rebase = |text: &str, from: &std::path::Path, to: &std::path::Path| {
            let root = parse(text)?;
            crate::relocate::relocated_text(&root, root.text_range(), from, to, Self::no_shift())
                .ok()
        };
        rebase(v, &self.helper_dir, &self.host_dir)
            .filter(|back| rebase(back, &self.host_dir, &self.helper_dir).as_deref() == Some(v))
            .ok_or_else(|| {
                self.host.refuse(
                    c.value.node.text_range().start(),
                    format!(
                        "{}: the argument `{v}` cannot be written back here",
                        host_label(c)
                    ),
                )
            })
    }

    /// Every name the new helper reads freely is, in its file, a parameter
    /// of that file given at the import call the hosts' call goes through,
    /// and there it is the binder the same name is at host `c` (or a
    /// builtin, unbound on both sides).
    fn same_meaning(
        &self,
        free: &std::collections::BTreeSet<String>,
        lambda: &SyntaxNode,
        c: &Configuration,
    ) -> Result<(), Error> {
        let flake = self.host.cx.flake;
        let at = crate::flake::eval::Val {
            file: self.at.file,
            node: lambda.clone(),
            env: self.at.env.clone(),
        };
        let pos = c.value.node.text_range().start();
        let helper_scope = flake.src(self.at.file);
        for n in free {
            let here = self.host.scope().resolve_at(n, pos);
            let ok = match helper_scope
                .scope()
                .resolve_at(n, lambda.text_range().start())
            {
                // A builtin, unless a `with` around either side may bind it.
                None => {
                    let with =
                        |n: &SyntaxNode| n.ancestors().any(|a| a.kind() == SyntaxKind::NODE_WITH);
                    here.is_none()
                        && crate::scope::is_builtin(n)
                        && !with(lambda)
                        && !with(&c.value.node)
                }
                Some(_) => here.is_some() && flake.binder_across(&at, n, self.host.file) == here,
            };
            if !ok {
                return Err(self.host.refuse(
                    pos,
                    format!(
                        "{}: the helper reads `{n}`, which does not mean the same here as in {}",
                        host_label(c),
                        helper_scope.path().display()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A host that calls `builder` directly, written in `file` where its
/// entry is.
fn is_direct_host(file: FileId, c: &Configuration, builder: &str) -> bool {
    let Some(call) = &c.call else { return false };
    c.output != "homeConfigurations"
        && call.builder == builder
        && matches!(call.via, Via::Direct(_))
        && c.file == file
        && c.value.file == file
        && c.generator.is_none()
        && c.entry
            .text_range()
            .contains_range(c.value.node.text_range())
        // The builder call is written in the entry itself, not reached
        // through a name (`default = a;` in a `rec` set is an alias of
        // `a`, which becomes whatever `a` becomes).
        && call.call.file == file
        && c.entry
            .text_range()
            .contains_range(call.call.node.text_range())
}

fn host_label(c: &Configuration) -> String {
    format!("{}.{}", c.output, c.name.as_deref().unwrap_or("?"))
}

/// The refusal for hosts the lift cannot express, naming both sides.
fn outlier_refusal(
    here: &Here,
    what: &str,
    hosts: &[&Configuration],
    outliers: &[Outlier],
) -> Error {
    let mut lines = Vec::new();
    for o in outliers {
        let label = hosts.get(o.host).map(|c| host_label(c)).unwrap_or_default();
        lines.push(format!("  {label}: {}", o.why));
        for (h, x) in o.places.iter().take(6) {
            lines.push(format!(
                "    {} (helper) differs from {} (host)",
                here.loc(h.start()),
                here.loc(x.start())
            ));
        }
    }
    let at = outliers
        .first()
        .and_then(|o| hosts.get(o.host))
        .map(|c| c.value.node.text_range().start())
        .unwrap_or_default();
    here.refuse(
        at,
        format!("{what} would not read better:\n{}", lines.join("\n")),
    )
}

/// Every name the helper text reads freely must resolve at `host` to what
/// it resolves to at `helper_at`.
fn same_meaning(
    here: &Here,
    free: &std::collections::BTreeSet<String>,
    helper_at: rnix::TextSize,
    helper_withs: &[SyntaxNode],
    host: &Configuration,
) -> Result<(), Error> {
    let at = host.value.node.text_range().start();
    // A name no `let` or formal binds is a builtin or comes from a `with`:
    // it means the same on both sides when the same `with`s enclose both.
    let host_withs = crate::scope::enclosing_withs(&host.value.node);
    let same_withs = helper_withs == host_withs.as_slice();
    for n in free {
        let n = n.as_str();
        let a = here.scope().resolve_at(n, helper_at);
        let b = here.scope().resolve_at(n, at);
        if a != b
            || a.is_none()
                && !(same_withs && (crate::scope::is_builtin(n) || !host_withs.is_empty()))
        {
            return Err(here.refuse(
                at,
                format!(
                    "{}: the helper reads `{n}`, which does not mean the same here as where the helper is defined",
                    host_label(host)
                ),
            ));
        }
    }
    Ok(())
}

/// The proof for one host: the call reduces to the host.
fn prove_host(
    here: &Here,
    helper: &Prepared,
    args: &[(String, String)],
    target: &SyntaxNode,
    host: &Configuration,
) -> Result<(), Error> {
    let map: BTreeMap<String, String> = args.iter().cloned().collect();
    helper.prove(&map, target).map_err(|e| {
        here.refuse(
            host.value.node.text_range().start(),
            format!(
                "the proof failed for {}: {} (nothing is changed)",
                host_label(host),
                e.0
            ),
        )
    })
}

/// The call replacing a host, as written at the host's place: positional
/// arguments first (a curried helper's), then the attribute set.
fn host_call(
    here: &Here,
    function: &str,
    positional: &[String],
    lift: &Lift,
    i: usize,
    host: &Configuration,
    unit: &str,
) -> String {
    let h = &lift.hosts[i];
    let indent = line_indent(
        here.text(),
        usize::from(host.value.node.text_range().start()),
    );
    let values: Vec<String> = positional
        .iter()
        .filter_map(|p| h.args.iter().find(|(n, _)| n == p).map(|(_, v)| v.clone()))
        .collect();
    let head = make::application(function, &values);
    let args: Vec<make::CallArg> = h
        .args
        .iter()
        .filter(|(n, _)| !positional.contains(n))
        .map(|(n, v)| make::CallArg {
            lead: h.leads.get(n).cloned().unwrap_or_default(),
            name: n.clone(),
            value: v.clone(),
            tail: h.tails.get(n).cloned(),
        })
        .collect();
    make::call_with_args(&head, &h.loose_comments, &args, indent, unit)
}

/// Summary lines: each new parameter and the hosts that pass it.
fn param_actions(helper: &str, lift: &Lift, hosts: &[&Configuration]) -> Vec<String> {
    let mut out = Vec::new();
    for p in &lift.params {
        let users: Vec<String> = hosts
            .iter()
            .zip(&lift.hosts)
            .filter(|(_, a)| a.args.iter().any(|(n, _)| n == &p.name))
            .map(|(c, _)| c.name.clone().unwrap_or_default())
            .collect();
        out.push(format!(
            "{helper}: new parameter `{}`{} (passed by {})",
            p.name,
            if p.default.is_some() {
                " with the old code as default"
            } else {
                ""
            },
            if users.is_empty() {
                "no host".to_string()
            } else {
                users.join(", ")
            }
        ));
    }
    out
}

/// Generalise helper `name` (its function `lambda` in flake.nix) so that
/// the hosts in `direct` become calls of it.
#[allow(clippy::too_many_arguments)]
fn generalise_helper(
    here: &Here,
    fix: &mut Fix,
    binder: usize,
    name: &str,
    lambda: &SyntaxNode,
    direct: &[&Configuration],
    calls: &[&Configuration],
    unit: &str,
    across: Option<&Across>,
) -> Result<bool, Error> {
    // The hosts' file (the helper's, unless the helper is in another file).
    let hs = across.map_or(here, |a| a.host);
    let lambda = unparen(lambda.clone());
    // `name: { ... }: body`: positional parameters first.
    let (positional, _, inner) = peel_positional(&lambda);
    let Some(pattern) = pattern_of(&inner) else {
        fix.notes.push(here.note(
            lambda.text_range().start(),
            match inner.first_child().filter(|p| positional.is_empty() && p.kind() == SyntaxKind::NODE_IDENT_PARAM) {
                Some(p) => format!("`{name}` takes one positional argument (`{}`), with no attribute-set pattern to add parameters to; hosts that bypass it are left as they are", p.text().to_string().trim()),
                None => format!("`{name}` takes its arguments one by one (curried); hosts that bypass it are left as they are"),
            },
        ));
        return Ok(false);
    };
    if pattern.at.is_some() {
        fix.notes.push(here.note(
            lambda.text_range().start(),
            format!("`{name}` names its whole argument (`@`); hosts that bypass it are left as they are"),
        ));
        return Ok(false);
    }
    let Some(body) = inner.last_child() else {
        return Ok(false);
    };
    let formals: Vec<String> = positional
        .iter()
        .cloned()
        .chain(pattern.formals.iter().map(|(n, _)| n.clone()))
        .collect();
    let mut direct: Vec<&Configuration> = direct.to_vec();
    // Each host as it reads in the helper's file (relative paths rebased).
    let mut targets: Vec<SyntaxNode> = Vec::new();
    for c in &direct {
        targets.push(match across {
            None => c.value.node.clone(),
            Some(a) => a.to_helper(c)?,
        });
    }
    // Formals without default, which every call must determine.
    let required: Vec<&String> = positional
        .iter()
        .chain(
            pattern
                .formals
                .iter()
                .filter(|(_, d)| d.is_none())
                .map(|(n, _)| n),
        )
        .collect();
    let lifted = loop {
        let hosts: Vec<SyntaxNode> = targets.clone();
        let r = lift(
            &body,
            &hosts,
            &LiftOptions {
                formals: &formals,
                defaults: true,
                taken: Default::default(),
                unit,
                host_names: &[],
                body_name: None,
            },
        );
        match r {
            Ok(l) => {
                // A formal without default that a host does not determine
                // (the helper uses it only where the host differs: its
                // modules replaced whole): that host stays as it is.
                let undetermined: Vec<(usize, &String)> = (0..direct.len())
                    .filter_map(|i| {
                        required
                            .iter()
                            .find(|f| !l.hosts[i].args.iter().any(|(n, _)| n == **f))
                            .map(|f| (i, *f))
                    })
                    .collect();
                if undetermined.is_empty() {
                    break l;
                }
                for &(d, f) in undetermined.iter().rev() {
                    let c = direct.remove(d);
                    targets.remove(d);
                    fix.notes.push(hs.note(
                        c.value.node.text_range().start(),
                        format!(
                            "{} calls the builder directly and is left as it is: `{name}` uses its argument `{f}` only where this host differs",
                            host_label(c)
                        ),
                    ));
                }
                if direct.is_empty() {
                    return Ok(true);
                }
            }
            Err(o) if o.iter().all(|o| o.kind == OutlierKind::Different) => {
                // Another system: it stays as it is.
                let mut drop: Vec<usize> = o.iter().map(|o| o.host).collect();
                drop.sort_unstable();
                drop.dedup();
                for &d in drop.iter().rev() {
                    let c = direct.remove(d);
                    targets.remove(d);
                    let why = o
                        .iter()
                        .find(|o| o.host == d)
                        .map(|o| o.why.clone())
                        .unwrap_or_default();
                    fix.notes.push(hs.note(
                        c.value.node.text_range().start(),
                        format!(
                            "{} calls the builder directly and is left as it is: {why}",
                            host_label(c)
                        ),
                    ));
                }
                if direct.is_empty() {
                    return Ok(true);
                }
            }
            Err(o) if across.is_some() => {
                let host = o.first().and_then(|o| direct.get(o.host));
                let at = host.map(|c| c.value.node.text_range().start());
                let why: Vec<String> = o
                    .iter()
                    .map(|o| {
                        let label = direct
                            .get(o.host)
                            .map(|c| host_label(c))
                            .unwrap_or_default();
                        format!("  {label}: {}", o.why)
                    })
                    .collect();
                return Err(hs.refuse(
                    at.unwrap_or_default(),
                    format!(
                        "calling `{name}` (defined in {}) from every host would not read better:\n{}",
                        here.path().display(),
                        why.join("\n")
                    ),
                ));
            }
            Err(o) => {
                return Err(outlier_refusal(
                    here,
                    &format!("calling `{name}` from every host"),
                    &direct,
                    &o,
                ))
            }
        }
    };
    let direct = &direct[..];
    let mut lifted = lifted;
    // A host need not pass a formal's value that is its default, written out.
    for h in &mut lifted.hosts {
        h.args.retain(|(n, v)| {
            !pattern.formals.iter().any(|(f, d)| {
                f == n
                    && d.as_ref().is_some_and(|d| {
                        d.children().next().is_none()
                            && parse(v).is_some_and(|v| equal_modulo_trivia(&v, d))
                    })
            })
        });
    }

    // A list parameter without default that a host passes empty gets the
    // default `[ ]` (calls that pass it are unchanged; none could omit it
    // before), and hosts stop passing `[ ]`.
    let empty = |v: &str| {
        parse(v).is_some_and(|n| {
            n.first_child()
                .is_some_and(|l| l.kind() == SyntaxKind::NODE_LIST && l.children().next().is_none())
        })
    };
    let mut empty_default: Vec<String> = Vec::new();
    for (f, d) in &pattern.formals {
        if d.is_none()
            && lifted
                .hosts
                .iter()
                .any(|h| h.args.iter().any(|(n, v)| n == f && empty(v)))
        {
            empty_default.push(f.clone());
            for h in &mut lifted.hosts {
                h.args.retain(|(n, v)| !(n == f && empty(v)));
            }
        }
    }

    // With `...`, an existing call may already pass an attribute named like
    // a new parameter (ignored until now): every call must be visible and
    // pass none of them.
    if pattern.ellipsis && !lifted.params.is_empty() {
        let new: Vec<&str> = lifted.params.iter().map(|p| p.name.as_str()).collect();
        for c in calls {
            let arg = unparen(c.value.node.clone());
            let set = (arg.kind() == SyntaxKind::NODE_APPLY)
                .then(|| arg.last_child().map(unparen))
                .flatten()
                .filter(|s| s.kind() == SyntaxKind::NODE_ATTR_SET);
            let keys = set.as_ref().and_then(crate::unify::helper::entry_nodes);
            let clash = match &keys {
                Some(k) => k.keys().find(|k| new.contains(&k.as_str())).cloned(),
                None => Some(String::from("(arguments not visible)")),
            };
            if let Some(k) = clash {
                return Err(Error::Refused {
                    codemod: NAME.to_string(),
                    location: Some(here.cx.flake.location_of(&c.value)),
                    message: format!(
                        "`{name}` takes `...` and {} may pass an attribute `{k}` it ignored so far, which a new parameter would read",
                        host_label(c)
                    ),
                });
            }
        }
    }

    // The new function.
    let indent = line_indent(here.text(), usize::from(lambda.text_range().start())).to_string();
    let mut new_formals: Vec<(String, Option<String>)> = pattern
        .formals
        .iter()
        .map(|(n, d)| {
            let default = match d {
                Some(d) => Some(d.text().to_string()),
                None if empty_default.contains(n) => Some("[ ]".to_string()),
                None => None,
            };
            (n.clone(), default)
        })
        .collect();
    for p in &lifted.params {
        new_formals.push((p.name.clone(), p.default.clone()));
    }
    let pattern_node = inner
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_PATTERN)
        .expect("a pattern");
    if pattern_node
        .descendants_with_tokens()
        .any(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
    {
        return Err(here.refuse(
            pattern_node.text_range().start(),
            format!(
                "`{name}`'s arguments carry comments, which adding parameters would have to move"
            ),
        ));
    }
    // The positional parameters (`name: `) are kept as written.
    let prefix = &here.text()
        [usize::from(lambda.text_range().start())..usize::from(inner.text_range().start())];
    let new_lambda = format!(
        "{prefix}{}",
        make::function_of_formals(
            &new_formals,
            pattern.ellipsis,
            lifted.body.trim_start(),
            &indent,
            unit,
        )
    );

    // The proof: existing calls (the new function on the old formals is the old body) ...
    let identity: BTreeMap<String, String> =
        formals.iter().map(|f| (f.clone(), f.clone())).collect();
    let old = reduce(&lambda.text().to_string(), &identity);
    let new = reduce(&new_lambda, &identity);
    let same = match (&old, &new) {
        (Ok(a), Ok(b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) => equal_modulo_trivia(&a, &b),
            _ => false,
        },
        _ => false,
    };
    if !same {
        return Err(here.refuse(lambda.text_range().start(),
            format!(
                "the proof failed: `{name}` with its new parameters defaulted is not the old `{name}`{} (nothing is changed)",
                new.err().map(|e| format!(": {}", e.0)).unwrap_or_default()
            ),
        ));
    }
    // ... and every bypassing host.
    let prepared = Prepared::new(&new_lambda).map_err(|e| {
        here.refuse(
            lambda.text_range().start(),
            format!("the proof failed: {}", e.0),
        )
    })?;
    let free = free_names(&new_lambda);
    let helper_withs = crate::scope::enclosing_withs(&lambda);
    for (i, c) in direct.iter().enumerate() {
        match across {
            None => {
                same_meaning(here, &free, lambda.text_range().start(), &helper_withs, c)?;
                if here
                    .scope()
                    .resolve_at(name, c.value.node.text_range().start())
                    != Some(binder)
                {
                    return Err(here.refuse(
                        c.value.node.text_range().start(),
                        format!("{}: `{name}` does not name the helper here", host_label(c)),
                    ));
                }
            }
            // The head was checked when `across` was made.
            Some(a) => a.same_meaning(&free, &lambda, c)?,
        }
        prove_host(hs, &prepared, &lifted.hosts[i].args, &targets[i], c)?;
    }
    // Arguments as they read at the hosts (relative paths rebased back).
    if let Some(a) = across {
        for (i, c) in direct.iter().enumerate() {
            for (_, v) in &mut lifted.hosts[i].args {
                *v = a.to_host(v, c)?;
            }
        }
    }

    if !lifted.params.is_empty() || !empty_default.is_empty() {
        fix.edit(
            NAME,
            here.path(),
            Edit::replace(lambda.text_range(), new_lambda),
        )?;
    }
    let host_unit = indent::indent_unit(hs.text());
    let function = across.map_or(name, |a| a.head.as_str());
    for (i, c) in direct.iter().enumerate() {
        let call = host_call(hs, function, &positional, &lifted, i, c, &host_unit);
        fix.edit(
            NAME,
            hs.path(),
            Edit::replace(c.value.node.text_range(), call),
        )?;
        fix.actions.push(format!(
            "{} now calls `{function}` (proven the same)",
            host_label(c)
        ));
    }
    fix.actions.extend(param_actions(name, &lifted, direct));
    Ok(true)
}

fn parse(text: &str) -> Option<SyntaxNode> {
    let root = rnix::Root::parse(text);
    root.errors().is_empty().then(|| root.syntax())
}

/// A helper nothing calls: a note, or its deletion with `--remove-unused`.
fn unused_helper(
    here: &Here,
    fix: &mut Fix,
    binder: usize,
    name: &str,
    at: TextRange,
) -> Result<(), Error> {
    if !here.cx.options.remove_unused {
        fix.notes.push(here.note(
            at.start(),
            format!("`{name}` builds a system but no configuration uses it (`--remove-unused` deletes it)"),
        ));
        return Ok(());
    }
    let scope = here.scope();
    let b = &scope.binders[binder];
    if b.kind != crate::scope::BinderKind::Let || scope.uses_of(binder).next().is_some() {
        fix.notes.push(here.note(
            at.start(),
            format!("`{name}` builds a system but no configuration uses it; it is read elsewhere, so it stays"),
        ));
        return Ok(());
    }
    let roots: Vec<TextRange> = b.entries.iter().map(|e| e.text_range()).collect();
    let mut gone: Vec<usize> = scope
        .exclusively_used(&roots, |o| {
            o != binder
                && scope.binders[o].kind == crate::scope::BinderKind::Let
                && scope.binders[o].scope == b.scope
        })
        .into_iter()
        .collect();
    gone.push(binder);
    let names: Vec<String> = gone
        .iter()
        .map(|&g| format!("`{}`", scope.binders[g].name))
        .collect();
    // The bindings go as split-outputs and flake-parts remove theirs: with
    // their comments and the blank lines around them, the whole `let` when
    // nothing else stays in it.
    let ranges = crate::relocate::let_removals(here.text(), scope, &gone);
    fix.removed_comments.extend(
        here.root()
            .descendants_with_tokens()
            .filter_map(|t| t.into_token())
            .filter(|t| {
                t.kind() == SyntaxKind::TOKEN_COMMENT
                    && ranges.iter().any(|r| r.contains_range(t.text_range()))
            })
            .map(|t| t.text().to_string()),
    );
    for range in ranges {
        fix.edit(NAME, here.path(), Edit::delete(range))?;
    }
    fix.actions
        .push(format!("removed the unused helper {}", names.join(", ")));
    Ok(())
}

/// No helper: cluster the direct hosts of `builder` and build one.
fn new_helper(
    here: &Here,
    fix: &mut Fix,
    builder: &str,
    direct: &[&Configuration],
    unit: &str,
) -> Result<(), Error> {
    // Clusters: same output and same builder function.
    // Clusters: one per output (a host built with another nixpkgs input
    // passes it as a parameter).
    let mut clusters: BTreeMap<(String, String), Vec<&Configuration>> = BTreeMap::new();
    for c in direct {
        let head = match &c.call.as_ref().map(|k| k.via.clone()) {
            Some(Via::Direct(t)) => t.clone(),
            _ => continue,
        };
        let _ = head;
        clusters
            .entry((c.output.clone(), builder.to_string()))
            .or_default()
            .push(c);
    }
    let default_name = if builder == "darwinSystem" {
        "mkDarwin"
    } else {
        "mkSystem"
    };
    let mut n = 0;
    for ((_, head), mut hosts) in clusters {
        if hosts.len() < 2 {
            continue;
        }
        // Drop outliers until the rest reads well (or fewer than two remain).
        let mut dropped: Vec<(&Configuration, String)> = Vec::new();
        let lifted = loop {
            let base = hosts
                .iter()
                .enumerate()
                .min_by_key(|(_, c)| c.value.node.text_range().len())
                .map(|(i, _)| i)
                .unwrap_or(0);
            let nodes: Vec<SyntaxNode> = hosts.iter().map(|c| c.value.node.clone()).collect();
            let names: Vec<Option<String>> = hosts.iter().map(|c| c.name.clone()).collect();
            let r = lift(
                &nodes[base],
                &nodes,
                &LiftOptions {
                    formals: &[],
                    defaults: false,
                    taken: Default::default(),
                    unit,
                    host_names: &names,
                    body_name: names[base].as_deref(),
                },
            );
            match r {
                Ok(l) => break Some((base, l)),
                Err(outliers) if outliers.iter().any(|o| o.kind != OutlierKind::Different) => {
                    return Err(outlier_refusal(
                        here,
                        &format!("building `{head}` hosts through one helper"),
                        &hosts,
                        &outliers,
                    ));
                }
                Err(outliers) => {
                    let mut drop: Vec<usize> = outliers
                        .iter()
                        .map(|o| o.host)
                        .filter(|&h| h != base)
                        .collect();
                    if drop.is_empty() {
                        // The base itself, or a conflict between hosts: give up on this cluster.
                        for c in &hosts {
                            fix.notes.push(here.note(
                                c.value.node.text_range().start(),
                                format!(
                                    "{} is left as it is: {}",
                                    host_label(c),
                                    outliers.first().map(|o| o.why.as_str()).unwrap_or("")
                                ),
                            ));
                        }
                        break None;
                    }
                    drop.sort_unstable();
                    drop.dedup();
                    for &d in drop.iter().rev() {
                        let c = hosts.remove(d);
                        let why = outliers
                            .iter()
                            .find(|o| o.host == d)
                            .map(|o| o.why.clone())
                            .unwrap_or_default();
                        dropped.push((c, why));
                    }
                    if hosts.len() < 2 {
                        for (c, why) in &dropped {
                            fix.notes.push(here.note(
                                c.value.node.text_range().start(),
                                format!("{} shares too little with the other hosts and is left as it is ({why})", host_label(c)),
                            ));
                        }
                        break None;
                    }
                }
            }
        };
        let Some((base, mut lifted)) = lifted else {
            continue;
        };
        // The base's own code becomes the helper: its comments stay there.
        lifted.hosts[base].loose_comments.clear();
        if lifted.params.is_empty() {
            continue;
        }
        let name = match (&here.cx.options.name, n) {
            (Some(name), 0) => name.clone(),
            (_, 0) => default_name.to_string(),
            (_, k) => format!("{default_name}{}", k + 1),
        };
        n += 1;
        let text = here.text();
        if names_read(here.root()).contains(&name)
            || here.scope().binders.iter().any(|b| b.name == name)
        {
            return Err(here.refuse(
                hosts[0].value.node.text_range().start(),
                format!(
                    "the name `{name}` is already used in this file; choose another with --name"
                ),
            ));
        }
        // Where the helper goes: the innermost `let` around all its hosts
        // (`nixosConfigurations = let common = ...; in { ... }`, so that it
        // sees what they see), else the outputs' innermost `let` (the
        // file's outermost one outside flake.nix), or a new one.
        let host_nodes: Vec<SyntaxNode> = hosts.iter().map(|c| c.value.node.clone()).collect();
        let around = crate::relocate::innermost_common_let(&host_nodes)
            .and_then(|l| l.last_child().map(|body| (Some(l), body)));
        let (place_let, place_body) = around.or_else(|| helper_place(here)).ok_or_else(|| {
            here.refuse(
                hosts[0].value.node.text_range().start(),
                "no `let` or expression found to put a new helper in",
            )
        })?;
        // A `with` between that place and the hosts: the helper goes in a
        // new `let` inside it, so that the names it reads mean there what
        // they mean in the hosts (`with nixpkgs.lib; { ... nixosSystem ... }`).
        let (place_let, place_body) = match innermost_with_body(&place_body, &host_nodes) {
            Some(body) => (None, body),
            None => (place_let, place_body),
        };
        struct Place {
            lets: Vec<SyntaxNode>,
            body: SyntaxNode,
        }
        let outputs = Place {
            lets: place_let.into_iter().collect(),
            body: place_body,
        };
        let (at, indent) = match outputs.lets.last() {
            Some(l) => {
                let last = l
                    .children()
                    .filter(|c| {
                        matches!(
                            c.kind(),
                            SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                        )
                    })
                    .last();
                match last {
                    Some(e) => (
                        e.text_range().end(),
                        line_indent(text, usize::from(e.text_range().start())).to_string(),
                    ),
                    None => (outputs.body.text_range().start(), String::new()),
                }
            }
            None => (
                outputs.body.text_range().start(),
                format!(
                    "{}{unit}",
                    line_indent(text, usize::from(outputs.body.text_range().start()))
                ),
            ),
        };
        let formals: Vec<(String, Option<String>)> = lifted
            .params
            .iter()
            .map(|p| (p.name.clone(), p.default.clone()))
            .collect();
        // The base's code, re-indented for its place in the `let`.
        let body_indent = format!("{indent}{unit}");
        let base_indent = line_indent(
            text,
            usize::from(hosts[base].value.node.text_range().start()),
        );
        let parsed = rnix::Root::parse(&lifted.body).syntax();
        let body = indent::shift_range(
            &parsed,
            parsed.text_range(),
            indent::Shift {
                remove: base_indent,
                add: &body_indent,
            },
        );
        let mut new_lambda =
            make::function_of_formals(&formals, false, body.trim_start(), &indent, unit);
        // The outliers get what a second run would give them: the new
        // helper generalised to them, or nothing when they are other systems.
        let mut hosts = hosts;
        if !dropped.is_empty() {
            let (chained, rest) =
                chain_outliers(here, &new_lambda, &formals, &dropped, &indent, unit)?;
            for (c, why) in rest {
                fix.notes.push(here.note(
                    c.value.node.text_range().start(),
                    format!(
                        "{} shares too little with the other hosts and is left as it is ({why})",
                        host_label(c)
                    ),
                ));
            }
            if let Some((lambda, more_hosts, l2)) = chained {
                new_lambda = lambda;
                hosts.extend(more_hosts);
                lifted.params.extend(l2.params);
                lifted.hosts.extend(l2.hosts);
            }
        }
        // The proof, for every host, and the meaning of the names it reads.
        let prepared = Prepared::new(&new_lambda)
            .map_err(|e| here.refuse(at, format!("the proof failed: {}", e.0)))?;
        let free = free_names(&new_lambda);
        let helper_withs =
            crate::scope::enclosing_withs(outputs.lets.last().unwrap_or(&outputs.body));
        for (i, c) in hosts.iter().enumerate() {
            same_meaning(here, &free, at, &helper_withs, c)?;
            prove_host(here, &prepared, &lifted.hosts[i].args, &c.value.node, c)?;
        }
        // With --helper-file the function goes in a file of its own, which
        // takes the names it reads; the `let` imports it.
        let value = match &here.cx.options.helper_file {
            None => new_lambda.clone(),
            Some(rel) => {
                let column = indent.len() + name.len() + 3;
                helper_in_file(
                    here,
                    fix,
                    rel,
                    &new_lambda,
                    &free,
                    at,
                    &indent,
                    column,
                    unit,
                )?
            }
        };
        let binding = make::binding(&name, &value);
        let insert = if outputs.lets.last().is_some() {
            Edit::insert(at, format!("\n\n{indent}{binding}"))
        } else {
            let outer = line_indent(text, usize::from(outputs.body.text_range().start()));
            // A `with` body after the `with` on its line (`with lib; {`):
            // the new `let` starts a line of its own, as nixfmt lays it out
            // (the space after `;` becomes the line break).
            let after_with = outputs
                .body
                .parent()
                .is_some_and(|p| p.kind() == SyntaxKind::NODE_WITH);
            let new_let = make::let_before(&binding, outer, unit);
            match outputs.body.prev_sibling_or_token() {
                Some(t) if after_with && t.kind() != SyntaxKind::TOKEN_WHITESPACE => {
                    Edit::insert(at, format!("\n{outer}{new_let}"))
                }
                Some(t) if after_with && !t.to_string().contains('\n') => {
                    Edit::replace(t.text_range(), format!("\n{outer}{new_let}"))
                }
                _ => Edit::insert(at, new_let),
            }
        };
        fix.edit(NAME, here.path(), insert)?;
        for (i, c) in hosts.iter().enumerate() {
            let call = host_call(here, &name, &[], &lifted, i, c, unit);
            fix.edit(
                NAME,
                here.path(),
                Edit::replace(c.value.node.text_range(), call),
            )?;
        }
        fix.actions.push(format!(
            "new helper `{name}` (from {}, built with `{head}`) for {} (each call proven the same)",
            host_label(hosts[base]),
            hosts
                .iter()
                .map(|c| c.name.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        fix.actions.extend(param_actions(&name, &lifted, &hosts));
    }
    Ok(())
}

/// Write the new helper `lambda` (laid out for a binding at `indent`) into
/// `rel` (relative to the flake) as a file taking the names it reads, and
/// return the `import` that replaces it in the `let` at `at`. Refuses a
/// path that is not a plain relative `.nix` path inside the flake, a file
/// that exists, a name that is not bound where the helper goes (it may
/// come from a `with`), and a relative path that cannot be rebased.
#[allow(clippy::too_many_arguments)]
fn helper_in_file(
    here: &Here,
    fix: &mut Fix,
    rel: &str,
    lambda: &str,
    free: &std::collections::BTreeSet<String>,
    at: rnix::TextSize,
    indent: &str,
    column: usize,
    unit: &str,
) -> Result<String, Error> {
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    if !rel.ends_with(".nix") || !super::is_plain_relative_path(rel) {
        return Err(Error::Usage(format!(
            "--helper-file {rel}: PATH must be a relative `.nix` path inside the flake made of letters, digits, `.`, `_`, `-` and `+` (it becomes a Nix path literal), without `.` or `..` segments"
        )));
    }
    let flake_dir = here.cx.flake.dir();
    let target = flake_dir.join(rel);
    if here.cx.ws.exists(&target) || fix.creates.contains_key(&target) {
        return Err(here.refuse(
            at,
            format!(
                "--helper-file {rel}: {} already exists; choose a new file",
                target.display()
            ),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for n in free {
        if crate::scope::is_builtin(n) {
            continue;
        }
        if here.scope().resolve_at(n, at).is_none() {
            return Err(here.refuse(
                at,
                format!("--helper-file: the helper reads `{n}`, which no binding provides where the helper is defined (it may come from a `with`), so it cannot be passed to {rel}"),
            ));
        }
        names.push(n.clone());
    }
    let here_dir = here
        .path()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let to_dir = target
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let root = rnix::Root::parse(lambda).syntax();
    let body = crate::relocate::relocated_text(
        &root,
        root.text_range(),
        &here_dir,
        &to_dir,
        indent::Shift {
            remove: indent,
            add: "",
        },
    )
    .map_err(|_| {
        here.refuse(
            at,
            format!(
                "--helper-file {rel}: a relative path of the helper cannot be written from {}",
                to_dir.display()
            ),
        )
    })?;
    let header = make::formals_header(&names, unit);
    fix.creates.insert(
        target.clone(),
        make::file(Some(&header), &[], &[], body.trim_start()),
    );
    let from_here = crate::relocate::rebase_path(&format!("./{rel}"), false, &flake_dir, &here_dir)
        .ok_or_else(|| {
            here.refuse(
                at,
                format!(
                    "--helper-file {rel}: cannot be reached from {}",
                    here.path().display()
                ),
            )
        })?;
    Ok(make::import_call(
        std::path::Path::new(&from_here),
        &names,
        indent,
        unit,
        column,
    ))
}

type Chained<'a> = Option<(String, Vec<&'a Configuration>, Lift)>;

/// Generalise a new helper (`lambda`, whose parameters are `formals`) to
/// the hosts left out of its cluster, as a second run would. Returns the
/// new function, the hosts it now covers and their lift, and the hosts
/// still left out (with why).
#[allow(clippy::type_complexity)]
fn chain_outliers<'a>(
    here: &Here,
    lambda: &str,
    formals: &[(String, Option<String>)],
    dropped: &[(&'a Configuration, String)],
    indent: &str,
    unit: &str,
) -> Result<(Chained<'a>, Vec<(&'a Configuration, String)>), Error> {
    let root = rnix::Root::parse(lambda).syntax();
    let Some(body) = root.first_child().and_then(|l| l.last_child()) else {
        return Ok((None, dropped.to_vec()));
    };
    let names: Vec<String> = formals.iter().map(|(n, _)| n.clone()).collect();
    let mut rest: Vec<(&Configuration, String)> = dropped.to_vec();
    let mut left: Vec<(&Configuration, String)> = Vec::new();
    loop {
        if rest.is_empty() {
            return Ok((None, left));
        }
        let nodes: Vec<SyntaxNode> = rest.iter().map(|(c, _)| c.value.node.clone()).collect();
        let r = lift(
            &body,
            &nodes,
            &LiftOptions {
                formals: &names,
                defaults: true,
                taken: Default::default(),
                unit,
                host_names: &[],
                body_name: None,
            },
        );
        match r {
            Ok(l) => {
                // A host that does not determine a required parameter stays.
                let missing: Vec<usize> = (0..rest.len())
                    .filter(|&i| {
                        formals.iter().any(|(f, d)| {
                            d.is_none() && !l.hosts[i].args.iter().any(|(n, _)| n == f)
                        })
                    })
                    .collect();
                if !missing.is_empty() {
                    for &i in missing.iter().rev() {
                        let (c, why) = rest.remove(i);
                        left.push((c, why));
                    }
                    continue;
                }
                let mut all: Vec<(String, Option<String>)> = formals.to_vec();
                all.extend(l.params.iter().map(|p| (p.name.clone(), p.default.clone())));
                let new_lambda =
                    make::function_of_formals(&all, false, l.body.trim_start(), indent, unit);
                return Ok((
                    Some((new_lambda, rest.iter().map(|(c, _)| *c).collect(), l)),
                    left,
                ));
            }
            Err(o) if o.iter().all(|o| o.kind == OutlierKind::Different) => {
                let mut drop: Vec<usize> = o.iter().map(|o| o.host).collect();
                drop.sort_unstable();
                drop.dedup();
                for &d in drop.iter().rev() {
                    left.push(rest.remove(d));
                }
            }
            Err(o) => {
                let hosts: Vec<&Configuration> = rest.iter().map(|(c, _)| *c).collect();
                return Err(outlier_refusal(
                    here,
                    "building every host through one helper",
                    &hosts,
                    &o,
                ));
            }
        }
    }
}

/// The body of the innermost `with` inside `place` (or `place` itself)
/// around every one of `hosts`.
fn innermost_with_body(place: &SyntaxNode, hosts: &[SyntaxNode]) -> Option<SyntaxNode> {
    let first = hosts.first()?;
    first
        .ancestors()
        .skip(1)
        .take_while(|a| place.text_range().contains_range(a.text_range()))
        .filter(|a| a.kind() == SyntaxKind::NODE_WITH)
        .filter_map(|w| w.last_child())
        .find(|body| {
            hosts
                .iter()
                .all(|h| body.text_range().contains_range(h.text_range()))
        })
}

/// Where a new helper goes in the file: its `let` (the outputs' innermost
/// one in flake.nix, the file's own otherwise) and the expression a new
/// `let` would go before.
fn helper_place(here: &Here) -> Option<(Option<SyntaxNode>, SyntaxNode)> {
    if here.file == 0 {
        let outputs = here.cx.flake.outputs.as_ref()?;
        return Some((outputs.lets.last().cloned(), outputs.body.clone()));
    }
    let mut expr = unparen(here.root().first_child()?);
    if expr.kind() == SyntaxKind::NODE_LAMBDA {
        expr = unparen(expr.last_child()?);
    }
    if expr.kind() == SyntaxKind::NODE_LET_IN {
        let body = expr.last_child()?;
        return Some((Some(expr), body));
    }
    Some((None, expr))
}
