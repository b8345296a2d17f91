//! `extract-home-manager`: one function for the Home Manager blocks copied
//! between hosts.
//!
//! See `codemods/extract-home-manager/README.md` for what it does, when it
//! refuses and what it may change.
//!
//! The recipe: the blocks come from the flake model
//! ([`Flake::home_manager_blocks`]); each block's attribute set is read as
//! the module system reads it ([`canon`]: dotted and nested paths merged,
//! the user's key as a marker when the copies name different users); the
//! copies are anti-unified ([`generalise_all`]); the function is the
//! template written with its holes as parameters ([`function::function_body`]);
//! each block becomes a call. The proof: each call, beta-reduced from the
//! function text ([`function::reduce`]), reads the same as the block it
//! replaces, or nothing is changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rnix::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::{Applicability, Codemod, Context, Fix, Note};
use crate::error::Error;
use crate::flake::eval::{one_line, FileId};
use crate::flake::home_manager::HmBlock;
use crate::flake::import_site::ImportSite;
use crate::flake::Flake;
use crate::relocate::{common_body, innermost_common_let, names_to_pass};
use crate::scope::{is_builtin, ScopeIndex};
use crate::syntax::edit::Edit;
use crate::syntax::indent::indent_unit;
use crate::syntax::{line_indent, make, starts_line, static_attr_name, unparen};
use crate::unify::canon::{self, Canonical};
use crate::unify::function::{self, binding_text, Naming};
use crate::unify::{equal_modulo_trivia, generalise_all, Binding, HoleKind};
use crate::verify::normalize_comment;

pub struct ExtractHomeManager;

const NAME: &str = "extract-home-manager";

/// The default name of the function.
const DEFAULT_NAME: &str = "mkHomeManager";

/// More parameters than this for one copy: the copies are too different.
const MAX_PARAMS: usize = 5;

impl Codemod for ExtractHomeManager {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "One function for the Home Manager blocks copied between hosts"
    }
    fn applicability(&self) -> Applicability {
        Applicability::Safe
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/extract-home-manager/README.md")
    }

    fn apply(&self, cx: &Context) -> Result<Fix, Error> {
        let flake = cx.flake;
        let mut fix = Fix::default();
        let name = cx.options.name.as_deref().unwrap_or(DEFAULT_NAME);
        if !rnix::Root::parse(&format!("{name}: {name}"))
            .errors()
            .is_empty()
            || make::attr_name(name) != name
            || is_builtin(name)
        {
            return Err(Error::Usage(format!("--name {name}: not a Nix identifier")));
        }
        let blocks = flake.home_manager_blocks();
        let mut by_file: BTreeMap<FileId, Vec<HmBlock>> = BTreeMap::new();
        for b in blocks {
            by_file.entry(b.file).or_default().push(b);
        }
        // Modules and `home-manager` settings are not copies of each other:
        // one function per file, for the kind with more copies (modules on
        // a tie); the others are left with a note.
        for (file, group) in by_file.iter_mut() {
            let settings = group.iter().filter(|b| b.settings).count();
            let modules = group.len() - settings;
            if settings == 0 || modules == 0 {
                continue;
            }
            let keep_settings = settings > modules;
            let src = flake.src(*file);
            for b in group.iter().filter(|b| b.settings != keep_settings) {
                fix.notes.push(Note {
                    location: Some(src.location(b.element.text_range())),
                    message: if b.settings {
                        "these `home-manager` settings are passed to a helper's module, not written as a module like the other copies in this file; they are left as they are".into()
                    } else {
                        "this Home Manager module is left as it is: the other copies in this file are `home-manager` settings passed to a helper".into()
                    },
                });
            }
            group.retain(|b| b.settings == keep_settings);
        }
        let total: usize = by_file.values().map(Vec::len).sum();
        let elsewhere = flake.home_manager_blocks_elsewhere();
        if total >= 1 && total + elsewhere.len() >= 2 {
            for (file, module) in &elsewhere {
                fix.notes.push(Note {
                    location: Some(flake.src(*file).location(module.text_range())),
                    message: "a Home Manager block that a module list reaches through a name (bound at the top of a file, in a `let` or under `with`), not written in the list, where a call could replace it; it is left as it is".into(),
                });
            }
        }
        // Copies in several files: one function in flake.nix, passed to the
        // files it imports; otherwise each file on its own, with a note.
        if total >= 2 && by_file.values().filter(|g| !g.is_empty()).count() >= 2 {
            match across_files(flake, &by_file, name) {
                Ok(attempt) => {
                    fix.absorb(NAME, attempt)?;
                    return Ok(fix);
                }
                Err((at, why)) => fix.notes.push(Note {
                    location: Some(at),
                    message: format!(
                        "the Home Manager blocks are in several files and are not shared through one function in flake.nix: {why}; each file is handled on its own"
                    ),
                }),
            }
        }
        for (file, group) in &by_file {
            if group.len() < 2 {
                if total >= 2 {
                    let src = flake.src(*file);
                    let rewritten = by_file.iter().any(|(f, g)| f != file && g.len() >= 2);
                    let others: Vec<String> = by_file
                        .iter()
                        .filter(|(f, _)| *f != file)
                        .map(|(f, _)| format!("`{}`", flake.src(*f).path().display()))
                        .collect();
                    fix.notes.push(Note {
                        location: Some(src.location(group[0].element.text_range())),
                        message: if rewritten {
                            "the only Home Manager block in this file; the copies in other files are rewritten without it".into()
                        } else {
                            format!(
                                "the only Home Manager block in this file; the other copies are in {} and one function is not shared between files; it is left as it is",
                                others.join(", ")
                            )
                        },
                    });
                }
                continue;
            }
            fix.absorb(NAME, extract_largest(flake, *file, group, name, &[])?)?;
        }
        Ok(fix)
    }
}

/// One function in `flake.nix` for the blocks of every file: each file
/// other than `flake.nix` must be imported from it once, with an argument
/// set the function can be passed in. The place of the first obstacle and
/// why, otherwise (a refusal included: each file is then handled on its
/// own, where it is refused again if it applies there).
fn across_files(
    flake: &Flake,
    by_file: &BTreeMap<FileId, Vec<HmBlock>>,
    name: &str,
) -> Result<Fix, (crate::error::Location, String)> {
    let blocks: Vec<HmBlock> = by_file.values().flatten().cloned().collect();
    if blocks.iter().any(|b| b.settings != blocks[0].settings) {
        let src = flake.src(blocks[0].file);
        return Err((
            src.location(blocks[0].element.text_range()),
            "some copies are `home-manager` settings and others modules".into(),
        ));
    }
    let mut sites: Vec<ImportSite> = Vec::new();
    for (file, group) in by_file {
        if *file == 0 || group.is_empty() {
            continue;
        }
        let src = flake.src(*file);
        let at = src.location(group[0].element.text_range());
        let Some(site) = flake.sole_import_site(*file) else {
            return Err((
                at,
                format!(
                    "`{}` is not called once from flake.nix as `import PATH {{ ... }}` with a function of named arguments",
                    src.path().display()
                ),
            ));
        };
        // `{ ... }@args`: the whole set is a value of its own (passed on,
        // listed); a new member would change it.
        if site
            .pattern
            .children()
            .any(|c| c.kind() == SyntaxKind::NODE_PAT_BIND)
        {
            return Err((
                at,
                format!(
                    "`{}` binds its whole argument set (`@`), which a new argument would change",
                    src.path().display()
                ),
            ));
        }
        sites.push(site);
    }
    match extract_largest(flake, 0, &blocks, name, &sites) {
        Ok(attempt) => Ok(attempt),
        Err(Error::Refused {
            location, message, ..
        }) => Err((
            location.unwrap_or_else(|| flake.src(0).location(TextRange::empty(0.into()))),
            message,
        )),
        Err(e) => Err((
            flake.src(0).location(TextRange::empty(0.into())),
            e.to_string(),
        )),
    }
}

/// The start of the refusal for copies too different to share a function.
const TOO_DIFFERENT: &str = "the Home Manager blocks are too different to share one function";

fn is_too_different(e: &Error) -> bool {
    matches!(e, Error::Refused { message, .. } if message.starts_with(TOO_DIFFERENT))
}

/// [`extract`] on `group` (the blocks of one file, or of several files
/// with the `sites` that import them from flake.nix); when they are too
/// different to share a function, on all but the block least like the
/// others (left out with a note), when two or more remain. The refusal for
/// the whole group when that does not work either.
fn extract_largest(
    flake: &Flake,
    file: FileId,
    group: &[HmBlock],
    name: &str,
    sites: &[ImportSite],
) -> Result<Fix, Error> {
    let mut current: Vec<HmBlock> = group.to_vec();
    let mut left_out: Vec<HmBlock> = Vec::new();
    let mut first_refusal: Option<Error> = None;
    loop {
        let mut attempt = Fix::default();
        // Only the files that still have a block take the function.
        let sites: Vec<ImportSite> = sites
            .iter()
            .filter(|s| current.iter().any(|b| b.file == s.file))
            .cloned()
            .collect();
        match extract(flake, file, &current, name, &mut attempt, &sites) {
            Ok(()) => {
                for b in &left_out {
                    attempt.notes.push(Note {
                        location: Some(flake.src(b.file).location(b.element.text_range())),
                        message: format!(
                            "this Home Manager block is too different from the others to use `{name}`; it is left as it is"
                        ),
                    });
                }
                return Ok(attempt);
            }
            // One block at most is left out: two left out would be a
            // group of their own on the next run.
            Err(e) if is_too_different(&e) && current.len() > 2 && left_out.is_empty() => {
                first_refusal.get_or_insert(e);
                // Leave out the block least similar to the others.
                let shapes: Vec<Vec<u64>> = current
                    .iter()
                    .map(|b| crate::syntax::shape::shape(&b.body))
                    .collect();
                let score = |i: usize| -> f64 {
                    (0..shapes.len())
                        .filter(|&j| j != i)
                        .map(|j| crate::syntax::shape::similarity(&shapes[i], &shapes[j]))
                        .sum()
                };
                let worst = (0..current.len())
                    .min_by(|&a, &b| score(a).total_cmp(&score(b)))
                    .unwrap_or(0);
                left_out.push(current.remove(worst));
            }
            Err(e) if is_too_different(&e) => return Err(first_refusal.unwrap_or(e)),
            Err(e) => return Err(e),
        }
    }
}

fn refuse(flake: &Flake, file: FileId, range: TextRange, message: impl Into<String>) -> Error {
    Error::Refused {
        codemod: NAME.into(),
        location: Some(flake.src(file).location(range)),
        message: message.into(),
    }
}

/// The text a user key stands for as an argument: `"alice"` for `alice`
/// and `"first.last"`, `user` for `${user}`.
fn user_value(attr: &SyntaxNode) -> Option<String> {
    if let Some(n) = static_attr_name(attr) {
        return Some(make::string(&n));
    }
    canon::dynamic_name_value(attr).map(|e| e.text().to_string())
}

/// The names read in `text` (a parsed expression) that nothing binds
/// there, and the names it binds itself (which would shadow a parameter of
/// the same name).
fn free_names(text: &str) -> Result<(BTreeSet<String>, BTreeSet<String>), String> {
    let parsed = rnix::Root::parse(text);
    if !parsed.errors().is_empty() {
        return Err(format!("the function does not parse: {text}"));
    }
    let index = ScopeIndex::build(&parsed.syntax());
    let free = index
        .refs
        .iter()
        .filter(|r| r.binder.is_none() && !is_builtin(&r.name))
        .map(|r| r.name.clone())
        .collect();
    let bound = index.binders.iter().map(|b| b.name.clone()).collect();
    Ok((free, bound))
}

fn comments_in(node: &SyntaxNode) -> Vec<String> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
        .map(|t| t.text().to_string())
        .collect()
}

fn comments_of_text(text: &str) -> Vec<String> {
    comments_in(&rnix::Root::parse(text).syntax())
}

/// A unique name: `base`, `base2`, ... not in `taken`.
fn fresh(base: &str, taken: &BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut k = 2;
    while taken.contains(&name) {
        name = format!("{base}{k}");
        k += 1;
    }
    name
}

fn extract(
    flake: &Flake,
    file: FileId,
    blocks: &[HmBlock],
    name: &str,
    fix: &mut Fix,
    sites: &[ImportSite],
) -> Result<(), Error> {
    let src = flake.src(file);
    let text = src.file().text.clone();
    let scope = src.scope();
    let path: PathBuf = src.path().to_path_buf();
    let unit = indent_unit(&text);
    let first = blocks[0].element.text_range();
    let first_file = blocks[0].file;
    // A place in the file of block `k`.
    let bloc = |k: usize, r: TextRange| flake.src(blocks[k].file).location(r).to_string();

    // The function's name is free in every file it is written or read in.
    let mut files: BTreeSet<FileId> = blocks.iter().map(|b| b.file).collect();
    files.insert(file);
    for f in files {
        let fsrc = flake.src(f);
        let fscope = fsrc.scope();
        if fscope.binders.iter().any(|b| b.name == name)
            || fscope.refs.iter().any(|r| r.name == name)
        {
            let at = blocks
                .iter()
                .find(|b| b.file == f)
                .map_or(TextRange::empty(0.into()), |b| b.element.text_range());
            return Err(refuse(
                flake,
                f,
                at,
                format!("`{name}` is already a name in this file; choose another with --name"),
            ));
        }
    }

    // The user keys: one user per block under different keys becomes a parameter.
    let users_path: Vec<String> = if blocks[0].settings {
        vec!["users".to_string()]
    } else {
        vec!["home-manager".to_string(), "users".to_string()]
    };
    let keys: Vec<Option<SyntaxNode>> = blocks
        .iter()
        .map(|b| canon::single_key_at(&b.body, &users_path))
        .collect();
    let idents: BTreeSet<String> = blocks
        .iter()
        .flat_map(|b| {
            b.element
                .descendants()
                .filter(|n| n.kind() == SyntaxKind::NODE_IDENT)
                .map(|n| n.text().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let user_values: Option<Vec<String>> = keys
        .iter()
        .map(|k| k.as_ref().and_then(user_value))
        .collect();
    let marker = match &user_values {
        Some(values) if values.iter().any(|v| v != &values[0]) => {
            let m = ["user", "userName", "hmUser"]
                .iter()
                .find(|m| !idents.contains(**m) && **m != name)
                .map(|m| m.to_string())
                .unwrap_or_else(|| fresh("hmUser", &idents));
            Some(m)
        }
        _ => None,
    };
    let markers: Vec<(Vec<String>, String)> = marker
        .iter()
        .map(|m| (users_path.clone(), m.clone()))
        .collect();

    // Each block as the module system reads it.
    let mut canons: Vec<Canonical> = Vec::new();
    for b in blocks {
        match canon::canonical_with(&b.body, &markers) {
            Some(c) => canons.push(c),
            None => {
                return Err(refuse(
                    flake,
                    b.file,
                    b.element.text_range(),
                    "cannot read this Home Manager block as a module (a `rec` set, a dynamic path, or an attribute defined twice)",
                ))
            }
        }
    }
    let sets: Vec<SyntaxNode> = canons.iter().map(Canonical::set).collect();
    let Some(g) = generalise_all(&sets) else {
        return Ok(());
    };

    // Where each difference is, in the original file.
    let origin_of = |k: usize, node: &SyntaxNode| -> String {
        match canons[k].origin(node.text_range()) {
            Some(at) => bloc(k, TextRange::empty(at)),
            None => bloc(k, blocks[k].element.text_range()),
        }
    };
    let diff = |holes: &[usize]| -> String {
        let mut lines = Vec::new();
        for &h in holes {
            lines.push(format!("  `{}`:", base_name(&g, h)));
            for (k, b) in g.bindings.iter().enumerate() {
                let shown = match &b[h] {
                    Binding::Expr(n) => format!("{}: {}", origin_of(k, n), one_line(n)),
                    Binding::Seq(ns) if ns.is_empty() => {
                        format!("{}: (nothing)", bloc(k, blocks[k].element.text_range()))
                    }
                    Binding::Seq(ns) => format!(
                        "{}: {}",
                        origin_of(k, &ns[0]),
                        ns.iter().map(one_line).collect::<Vec<_>>().join(" ")
                    ),
                    Binding::Absent => {
                        format!("{}: (absent)", bloc(k, blocks[k].element.text_range()))
                    }
                };
                lines.push(format!("    {shown}"));
            }
        }
        lines.join("\n")
    };
    let too_different = |why: &str, holes: &[usize]| -> Error {
        refuse(
            flake,
            first_file,
            first,
            format!("{TOO_DIFFERENT} ({why}):\n{}", diff(holes)),
        )
    };
    let all: Vec<usize> = (0..g.holes.len()).collect();
    if !g.captures.is_empty() {
        let c = &g.captures[0];
        return Err(too_different(
            &format!(
                "a difference reads `{}`, which the shared part binds",
                c.name
            ),
            &all,
        ));
    }
    if shared_leaves(&g.template) == 0 {
        return Err(too_different("nothing in common", &all));
    }
    for (k, b) in g.bindings.iter().enumerate() {
        let passed: Vec<usize> = b
            .iter()
            .enumerate()
            .filter(|(_, x)| match x {
                Binding::Expr(_) => true,
                Binding::Seq(ns) => !ns.is_empty(),
                Binding::Absent => false,
            })
            .map(|(h, _)| h)
            .collect();
        let count = passed.len() + usize::from(marker.is_some());
        if count > MAX_PARAMS {
            return Err(too_different(
                &format!(
                    "the block at {} would need {count} arguments, more than {MAX_PARAMS}",
                    bloc(k, blocks[k].element.text_range())
                ),
                &passed,
            ));
        }
        let size = usize::from(canons[k].set().text().len()).max(1);
        for &h in &passed {
            let len: usize = match &b[h] {
                Binding::Expr(n) => n.text().len().into(),
                Binding::Seq(ns) => ns.iter().map(|n| usize::from(n.text().len())).sum(),
                Binding::Absent => 0,
            };
            if len * 2 > size {
                return Err(too_different(
                    &format!(
                        "`{}` would replace most of the block at {}",
                        base_name(&g, h),
                        bloc(k, blocks[k].element.text_range())
                    ),
                    &[h],
                ));
            }
        }
    }

    // Names the shared part reads (with placeholders for the holes).
    let placeholders: Vec<String> = (0..g.holes.len()).map(|h| format!("__hole{h}")).collect();
    let draft = function::function_body(
        &g,
        &Naming {
            names: &placeholders,
            args: "__args",
            unit: &unit,
        },
        "",
    )
    .map_err(|why| too_different(&why, &all))?;
    let (mut reads, bound_inside) =
        free_names(&draft).map_err(|e| refuse(flake, first_file, first, e))?;
    // A relative path the copies share means one file only when every
    // copy is written in the directory the function goes to.
    if !sites.is_empty() {
        let dir = src.dir();
        let relative = rnix::Root::parse(&draft)
            .syntax()
            .descendants()
            .any(|n| n.kind() == SyntaxKind::NODE_PATH_REL);
        if relative && blocks.iter().any(|b| flake.src(b.file).dir() != dir) {
            return Err(refuse(
                flake,
                first_file,
                first,
                "the copies share a relative path but are written in different directories",
            ));
        }
    }
    if let Some(m) = &marker {
        reads.remove(m);
    }

    // Where the function goes: the innermost `let` around every block, or a
    // new `let` around the file's body.
    let elements: Vec<SyntaxNode> = blocks
        .iter()
        .filter(|b| b.file == file)
        .map(|b| b.element.clone())
        .chain(sites.iter().map(|s| s.call.clone()))
        .collect();
    let common_let = innermost_common_let(&elements);
    let site: TextRange = match &common_let {
        Some(l) => l.text_range(),
        None => common_body(&elements)
            .ok_or_else(|| {
                refuse(
                    flake,
                    file,
                    first,
                    "cannot find where to define the function in this file",
                )
            })?
            .text_range(),
    };

    // Names the shared part reads: kept when they mean the same at the
    // definition as in every block, otherwise passed by name.
    let places: Vec<TextRange> = blocks
        .iter()
        .filter(|b| b.file == file)
        .map(|b| b.element.text_range())
        .collect();
    let mut passed_names = names_to_pass(scope, &reads, &places, site).map_err(|unclear| {
        let message = if unclear.from_with {
            format!(
                "`{}` may come from a `with` here; cannot tell what it means in a function",
                unclear.name
            )
        } else {
            format!("`{}` is not defined here", unclear.name)
        };
        refuse(flake, file, unclear.range, message)
    })?;
    // In the files `flake.nix` imports, a name keeps its meaning when the
    // copy reads the file's formal and the import passes it `inherit`ed
    // from where the function is defined.
    for x in &reads {
        if passed_names.contains(x) {
            continue;
        }
        let at_site = crate::relocate::resolve_at(scope, x, site);
        let mut same = at_site.is_some();
        for b in blocks.iter().filter(|b| b.file != file) {
            let Some(import) = sites.iter().find(|s| s.file == b.file) else {
                return Err(refuse(
                    flake,
                    b.file,
                    b.element.text_range(),
                    "internal: a copy in a file without its import",
                ));
            };
            let bsrc = flake.src(b.file);
            let bscope = bsrc.scope();
            for r in bscope
                .refs
                .iter()
                .filter(|r| &r.name == x && b.element.text_range().contains_range(r.range))
            {
                let Some(binder) = r.binder else {
                    let message = if r.withs.is_empty() {
                        format!("`{x}` is not defined here")
                    } else {
                        format!("`{x}` may come from a `with` here; cannot tell what it means in a function")
                    };
                    return Err(refuse(flake, b.file, r.range, message));
                };
                let formal = &bscope.binders[binder];
                let is_formal = formal.kind == crate::scope::BinderKind::Formal
                    && import.pattern.parent().as_ref() == Some(&formal.scope);
                let passed_same = import
                    .args
                    .children()
                    .filter(|e| e.kind() == SyntaxKind::NODE_INHERIT)
                    .filter(|e| {
                        !e.children()
                            .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
                    })
                    .flat_map(|e| e.children().collect::<Vec<_>>())
                    .filter(|a| a.kind() == SyntaxKind::NODE_IDENT && a.text() == x.as_str())
                    .any(|a| {
                        scope
                            .reference_at(a.text_range())
                            .is_some_and(|r| r.binder.is_some() && r.binder == at_site)
                    });
                if !(is_formal && passed_same) {
                    same = false;
                }
            }
        }
        if !same {
            passed_names.push(x.clone());
        }
    }
    passed_names.sort();

    // Parameter names.
    let mut taken: BTreeSet<String> = reads.union(&bound_inside).cloned().collect();
    taken.insert(name.to_string());
    let mut formals: Vec<(String, Option<String>)> = Vec::new();
    for x in &passed_names {
        formals.push((x.clone(), None));
    }
    if let Some(m) = &marker {
        taken.insert(m.clone());
        formals.push((m.clone(), None));
    }
    let mut names: Vec<String> = Vec::new();
    for (h, hole) in g.holes.iter().enumerate() {
        let base = base_name(&g, h);
        let n = fresh(&base, &taken);
        taken.insert(n.clone());
        let default = match hole.kind {
            HoleKind::Value => None,
            HoleKind::Optional => Some("null".to_string()),
            HoleKind::Sequence(_) => Some("[ ]".to_string()),
        };
        formals.push((n.clone(), default));
        names.push(n);
    }
    let args_name = fresh("args", &taken);
    let has_optional = function::has_optional(&g);

    // The function.
    let (def_indent, insertion) = match &common_let {
        Some(l) => {
            let entry = l
                .children()
                .filter(|c| {
                    matches!(
                        c.kind(),
                        SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
                    )
                })
                .last();
            let indent = match &entry {
                Some(e) if starts_line(&text, usize::from(e.text_range().start())) => {
                    line_indent(&text, usize::from(e.text_range().start())).to_string()
                }
                _ => format!(
                    "{}{unit}",
                    line_indent(&text, usize::from(l.text_range().start()))
                ),
            };
            let in_token = l
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == SyntaxKind::TOKEN_IN)
                .ok_or_else(|| refuse(flake, file, l.text_range(), "a `let` without `in`"))?;
            let at = usize::from(in_token.text_range().start());
            if !starts_line(&text, at) {
                // `let a = 1; in`: after the last entry.
                let Some(last) = &entry else {
                    return Err(refuse(
                        flake,
                        file,
                        in_token.text_range(),
                        "an empty `let`; cannot place the function",
                    ));
                };
                (indent, Insertion::AfterEntry(last.text_range().end()))
            } else {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                (
                    indent,
                    Insertion::BeforeIn(TextSize::from(line_start as u32)),
                )
            }
        }
        None => {
            let body = common_body(&elements).ok_or_else(|| {
                refuse(
                    flake,
                    file,
                    first,
                    "cannot find where to define the function",
                )
            })?;
            let at = usize::from(body.text_range().start());
            if starts_line(&text, at) {
                let indent = line_indent(&text, at).to_string();
                (
                    format!("{indent}{unit}"),
                    Insertion::Wrap(body.text_range().start(), indent),
                )
            } else {
                // `outputs = { ... }: {`: the `let` goes on lines of its
                // own after the `:`, and `in {` keeps the body's lines.
                let gap_start = text[..at].trim_end_matches([' ', '\t']).len();
                if gap_start == 0 || text[gap_start..at].contains('\n') {
                    return Err(refuse(
                        flake,
                        file,
                        body.text_range(),
                        "cannot place the function before this expression",
                    ));
                }
                let indent = format!("{}{unit}", line_indent(&text, at));
                (
                    format!("{indent}{unit}"),
                    Insertion::Inline(
                        TextRange::new(TextSize::from(gap_start as u32), body.text_range().start()),
                        indent,
                    ),
                )
            }
        }
    };
    let naming = Naming {
        names: &names,
        args: &args_name,
        unit: &unit,
    };
    let body = function::function_body(&g, &naming, &def_indent)
        .map_err(|why| too_different(&why, &all))?;
    let head = make::function_head(
        &formals,
        has_optional.then_some(args_name.as_str()),
        &def_indent,
        &unit,
        80usize.saturating_sub(def_indent.len() + name.len() + 3),
    );
    let function_text = make::function(&head, &body);
    let binding = make::binding(name, &function_text);

    // The calls, and the proof.
    let mut function_comments: Vec<String> = comments_of_text(&function_text);
    let function_comment_set: BTreeSet<String> = function_comments
        .iter()
        .map(|c| normalize_comment(c))
        .collect();
    for (k, b) in blocks.iter().enumerate() {
        let el = &b.element;
        let bsrc = flake.src(b.file);
        let text = bsrc.file().text.clone();
        let path: PathBuf = bsrc.path().to_path_buf();
        let indent = line_indent(&text, usize::from(el.text_range().start())).to_string();
        let arg_indent = format!("{indent}{unit}");
        let mut entries: Vec<(String, String)> = Vec::new();
        let mut proof_args: Vec<(String, String)> = Vec::new();
        for x in &passed_names {
            proof_args.push((x.clone(), x.clone()));
        }
        if let (Some(m), Some(values)) = (&marker, &user_values) {
            entries.push((m.clone(), values[k].clone()));
            proof_args.push((m.clone(), values[k].clone()));
        }
        for (h, binding) in g.bindings[k].iter().enumerate() {
            if matches!(binding, Binding::Seq(ns) if ns.is_empty()) {
                continue;
            }
            if let Some(t) = binding_text(binding, &arg_indent, &unit) {
                entries.push((names[h].clone(), t.clone()));
                proof_args.push((names[h].clone(), t));
            }
        }
        let pattern = b
            .lambda
            .as_ref()
            .and_then(|l| l.children().next())
            .map(|p| p.text().to_string());
        let column = usize::from(el.text_range().start())
            - text[..usize::from(el.text_range().start())]
                .rfind('\n')
                .map_or(0, |i| i + 1)
            + pattern.as_ref().map_or(1, |p| p.len() + 3)
            + 1;
        let call = make::call_with_set(name, &passed_names, &entries, &indent, &unit, column);

        // The proof: the call, beta-reduced, reads as the block.
        let reduced = function::reduce(&function_text, &args_name, &proof_args);
        let proved = reduced.as_deref().and_then(|r| {
            let parsed = rnix::Root::parse(r);
            if !parsed.errors().is_empty() {
                return None;
            }
            let set = parsed.syntax().first_child()?;
            let got = canon::canonical_set(&set)?;
            let want = canon::canonical_set(&b.body)?;
            Some(equal_modulo_trivia(&got.set(), &want.set()))
        });
        if proved != Some(true) {
            return Err(refuse(
                flake,
                b.file,
                el.text_range(),
                format!(
                    "internal: the call that would replace this block does not reduce to it, so nothing is changed:\n  {}",
                    reduced.unwrap_or_else(|| "(does not reduce)".into()).replace('\n', "\n  ")
                ),
            ));
        }

        // A list element is a call in parentheses; the value of a binding
        // or a formal's default, the call itself.
        let call = match &pattern {
            Some(pattern) => make::lambda(pattern, &call),
            None => call,
        };
        let call = if b.in_list() {
            make::paren(&call)
        } else {
            call
        };

        // Comments of the block that neither the call nor the function keep.
        let mut kept: Vec<String> = comments_of_text(&call);
        if k == 0 {
            kept.append(&mut function_comments);
        }
        let mut lost: Vec<String> = Vec::new();
        for c in comments_in(el) {
            match kept
                .iter()
                .position(|x| normalize_comment(x) == normalize_comment(&c))
            {
                Some(i) => {
                    kept.remove(i);
                }
                None if k > 0 && function_comment_set.contains(&normalize_comment(&c)) => {
                    fix.removed_comments.push(c);
                }
                None => lost.push(c),
            }
        }
        // The comments go on lines of their own before the call; before the
        // binding or formal when the block is its value written after `=`
        // or `?`.
        let entry = el.parent().filter(|p| {
            !b.in_list()
                && !lost.is_empty()
                && !starts_line(&text, usize::from(el.text_range().start()))
                && starts_line(&text, usize::from(p.text_range().start()))
        });
        let replacement = match &entry {
            Some(entry) => {
                fix.edit(
                    NAME,
                    path.clone(),
                    Edit::insert(
                        entry.text_range().start(),
                        make::after_comments(&lost, &indent, ""),
                    ),
                )?;
                call
            }
            None => make::after_comments(&lost, &indent, &call),
        };
        fix.edit(
            NAME,
            path.clone(),
            Edit::replace(el.text_range(), replacement),
        )?;
    }

    let insert = match insertion {
        Insertion::BeforeIn(at) => Edit::insert(at, make::let_entry_line(&binding, &def_indent)),
        Insertion::AfterEntry(at) => Edit::insert(at, make::entry_after(&binding, &def_indent)),
        Insertion::Wrap(at, indent) => Edit::insert(at, make::let_prefix(&binding, &indent, &unit)),
        Insertion::Inline(gap, indent) => {
            Edit::replace(gap, make::let_prefix_inline(&binding, &indent, &unit))
        }
    };
    fix.edit(NAME, path.clone(), insert)?;
    // Each file `flake.nix` imports with copies receives the function
    // through its argument set and formals.
    for import in sites {
        let Some(inherit) = import.args.children().find(|e| {
            e.kind() == SyntaxKind::NODE_INHERIT
                && !e
                    .children()
                    .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
        }) else {
            return Err(refuse(
                flake,
                file,
                import.args.text_range(),
                "no `inherit` in this argument set to pass the function with",
            ));
        };
        let Some(semicolon) = inherit
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|t| t.kind() == SyntaxKind::TOKEN_SEMICOLON)
        else {
            return Err(refuse(
                flake,
                file,
                inherit.text_range(),
                "an `inherit` without `;`",
            ));
        };
        fix.edit(
            NAME,
            path.clone(),
            Edit::insert(semicolon.text_range().start(), make::inherit_more(name)),
        )?;
        let isrc = flake.src(import.file);
        let insert = crate::syntax::add_formal(&import.pattern, &isrc.file().text, name)
            .map_err(|why| refuse(flake, import.file, import.pattern.text_range(), why))?;
        fix.edit(NAME, isrc.path().to_path_buf(), insert)?;
    }
    let params = formals.len();
    fix.actions.push(format!(
        "{}: `{name}` ({params} parameter{}) replaces {} Home Manager blocks: {}",
        path.display(),
        if params == 1 { "" } else { "s" },
        blocks.len(),
        blocks
            .iter()
            .map(|b| flake
                .src(b.file)
                .location(b.element.text_range())
                .to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}

enum Insertion {
    /// A new binding on the line before the `let`'s `in` (the line start).
    BeforeIn(TextSize),
    /// A new binding after the last entry of a `let` (ending at this offset)
    /// whose `in` does not start a line.
    AfterEntry(TextSize),
    /// A new `let` before the body at this offset, written at this indentation.
    Wrap(TextSize, String),
    /// A new `let` replacing the blanks between a function head and its
    /// body (`: {`), written at this indentation, the body after `in `.
    Inline(TextRange, String),
}

/// The name of hole `h`'s parameter, before clashes are resolved: from its
/// role (the engine's name), or what fills it (`unstableFor system` gives
/// `system`; a module of an `imports` list, `module`; a path, `path`; a
/// user's whole module, `userModule`).
fn base_name(g: &crate::unify::Generalisation, h: usize) -> String {
    let hole = &g.holes[h];
    // A part of an expression that some copy fills with a name
    // (`unstableFor system`) is named after it.
    let inside = matches!(hole.path.last(), Some(crate::unify::Step::Child(_)));
    let ident = g.bindings.iter().find_map(|b| match &b[h] {
        Binding::Expr(n) if unparen(n.clone()).kind() == SyntaxKind::NODE_IDENT => {
            Some(unparen(n.clone()).text().to_string())
        }
        _ => None,
    });
    let all_paths = g.bindings.iter().all(|b| {
        matches!(&b[h], Binding::Expr(n) if matches!(
            unparen(n.clone()).kind(),
            SyntaxKind::NODE_PATH_REL | SyntaxKind::NODE_PATH_ABS | SyntaxKind::NODE_PATH_HOME
        ))
    });
    // A module of an `imports` (or `modules`) list.
    let in_module_list = match hole.path.as_slice() {
        [.., crate::unify::Step::Attr(key), crate::unify::Step::Elem(_)] => {
            key == "imports" || key.ends_with("odules")
        }
        _ => false,
    };
    let user_module = matches!(
        hole.path.as_slice(),
        [.., crate::unify::Step::Attr(users), crate::unify::Step::Attr(_)] if users == "users"
    );
    match ident {
        Some(i) if inside && hole.kind == HoleKind::Value => i,
        _ if hole.kind == HoleKind::Value && in_module_list => "module".to_string(),
        _ if hole.kind == HoleKind::Value && user_module => "userModule".to_string(),
        _ if hole.kind == HoleKind::Value && inside && all_paths => "path".to_string(),
        _ => hole.name.clone(),
    }
}

/// How many values the copies share: the template's parts that are not
/// holes and hold no further structure (zero: the copies share only the
/// shape of their attribute paths).
fn shared_leaves(t: &crate::unify::Template) -> usize {
    use crate::unify::{Entry, Item, Template};
    match t {
        Template::Same(_) => 1,
        Template::Hole(_) => 0,
        Template::Node { children, .. } => {
            1 + children
                .iter()
                .map(|(_, c)| shared_leaves(c))
                .sum::<usize>()
        }
        Template::Set { entries, .. } | Template::Let { entries, .. } => entries
            .iter()
            .map(|e| match e {
                Entry::Bind { value, .. } => shared_leaves(value),
                Entry::Inherit(_) => 1,
                Entry::Optional { .. } => 0,
            })
            .sum(),
        Template::List { items } => items
            .iter()
            .map(|i| match i {
                Item::Elem(e) => shared_leaves(e),
                Item::Seq(_) => 0,
            })
            .sum(),
    }
}
