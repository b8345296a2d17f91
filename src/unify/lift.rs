//! Lifting differences into helper parameters: from a helper's body (or a
//! host chosen as the base of a new helper) and the hosts that differ from
//! it, the parameters to add, what each host passes, and the new function.
//!
//! Every place where some host differs ([`super::helper::Diff`], the
//! outermost when they nest) becomes one parameter:
//! - a value: the parameter stands where the body had the code; its
//!   default is that code (so existing calls keep their meaning) or, for a
//!   new helper, it has none and every host passes its own code;
//! - a run of list elements: the list is split around the run
//!   (`[ a ] ++ extraModules ++ [ b ]`, `prependModules ++ [ ... ]`), the
//!   default being the body's run (`[ ]` when it has none).
//!
//! A host passes a parameter only where it differs (or always, for a
//! parameter without default). The result is text; the caller proves each
//! call with [`super::helper::prove_call`] before using it.

use std::collections::{BTreeMap, BTreeSet};

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use super::helper::{entry_nodes, list_elems, match_body, names_read, BodyMatch, Diff};
use crate::syntax::indent::{shift_range, Shift};
use crate::syntax::static_attr_name;

/// A parameter the lift adds.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    /// Its default (the body's code), or `None` when every host passes it.
    pub default: Option<String>,
    /// Where the body had the code this parameter replaces.
    pub range: TextRange,
    pub seq: Option<(usize, usize)>,
    /// For a set whose keys differ: the keys moved into the parameter.
    pub attrs: Option<Vec<String>>,
}

/// What one host passes.
#[derive(Debug, Clone, Default)]
pub struct HostArgs {
    /// Name -> text, the helper's own formals first, then new parameters.
    pub args: Vec<(String, String)>,
    /// Comments written before an argument's code, by argument name (lines).
    pub leads: BTreeMap<String, String>,
    /// A `#` comment after an argument's code on its line, by argument name.
    pub tails: BTreeMap<String, String>,
    /// Comments of the host that its arguments do not carry.
    pub loose_comments: Vec<String>,
    /// Number of new parameters it passes.
    pub new_params: usize,
}

/// Why a host is an outlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlierKind {
    /// It shares (almost) nothing with the body: another system.
    Different,
    /// A difference reads a name bound inside the helper or the host.
    Capture,
    /// More parameters than [`MAX_NEW_PARAMS`], or sites that conflict.
    Unreadable,
}

/// A host the lift cannot express readably, and why.
#[derive(Debug, Clone)]
pub struct Outlier {
    pub host: usize,
    pub kind: OutlierKind,
    pub why: String,
    /// (helper range, host range) of the differing places.
    pub places: Vec<(TextRange, TextRange)>,
}

/// The lift's result.
#[derive(Debug, Clone)]
pub struct Lift {
    pub params: Vec<Param>,
    pub hosts: Vec<HostArgs>,
    /// The new body (with parameters in place of the lifted code).
    pub body: String,
    pub matches: Vec<BodyMatch>,
}

/// Options of a lift.
pub struct LiftOptions<'a> {
    /// The helper's formals (empty for a new helper).
    pub formals: &'a [String],
    /// New parameters get defaults (an existing helper) or not (a new one).
    pub defaults: bool,
    /// Names the new parameters must not take.
    pub taken: BTreeSet<String>,
    /// The file's indent unit.
    pub unit: &'a str,
    /// The hosts' names (`nixosConfigurations.<name>`), by index, and the
    /// name of the host the body is (a new helper's base): a string each
    /// host passes that is its own name makes a `hostname` parameter.
    pub host_names: &'a [Option<String>],
    pub body_name: Option<&'a str>,
}

/// Why a host whose modules share none with the body is left out.
const DISJOINT: &str = "its modules share none with the others': it is another kind of system";

/// Readability limit: new parameters one host may pass.
pub const MAX_NEW_PARAMS: usize = 5;

/// Lift the differences between `body` and each of `hosts`.
pub fn lift(
    body: &SyntaxNode,
    hosts: &[SyntaxNode],
    o: &LiftOptions,
) -> Result<Lift, Vec<Outlier>> {
    let formals: BTreeSet<String> = o.formals.iter().cloned().collect();
    let matches: Vec<BodyMatch> = hosts
        .iter()
        .map(|h| match_body(body, &formals, h))
        .collect();
    let mut outliers = Vec::new();
    // Sizes in tokens (trivia aside), so that indentation does not count.
    let size = |n: &SyntaxNode| {
        n.descendants_with_tokens()
            .filter(|e| {
                e.as_token().is_some_and(|t| {
                    !matches!(
                        t.kind(),
                        SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
                    )
                })
            })
            .count()
    };
    // A splice of a list parameter (`prependModules ++ [ ... ] ++ extra`)
    // does not count: a run that adds one must not change what a second
    // run finds readable.
    let splices = body
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_BIN_OP && super::helper::is_concat(n))
        .filter(|n| {
            n.children().any(|c| {
                c.kind() == SyntaxKind::NODE_IDENT && formals.contains(&c.text().to_string())
            })
        })
        .count();
    let body_len = size(body).saturating_sub(2 * splices).max(1);
    for (i, m) in matches.iter().enumerate() {
        let places = m
            .diffs
            .iter()
            .map(|d| match d {
                Diff::Value { helper, other } => (helper.text_range(), other.text_range()),
                Diff::Seq { list, run, .. } => (
                    list.text_range(),
                    run.first()
                        .map(|f| f.text_range().cover(run.last().unwrap().text_range()))
                        .unwrap_or_else(|| hosts[i].text_range()),
                ),
                Diff::Attrs { set, .. } => (
                    set.text_range(),
                    m.pairs
                        .get(&set.text_range())
                        .map(|n| n.text_range())
                        .unwrap_or_else(|| hosts[i].text_range()),
                ),
            })
            .collect::<Vec<_>>();
        let capture = |why: &str| {
            if m.captured {
                (OutlierKind::Capture, format!("{why}: a difference reads a name bound inside (capture), so its parameter had to widen"))
            } else {
                (OutlierKind::Different, why.to_string())
            }
        };
        if m.whole {
            let (kind, why) =
                capture("it shares no structure with the helper that a parameter could keep");
            outliers.push(Outlier {
                host: i,
                kind,
                why,
                places: vec![(body.text_range(), hosts[i].text_range())],
            });
            continue;
        }
        if m.diffs.iter().any(|d| match d {
            Diff::Value { helper, .. } => size(helper) * 2 > body_len,
            _ => false,
        }) {
            let (kind, why) = capture("a parameter would replace most of the body");
            outliers.push(Outlier {
                host: i,
                kind,
                why,
                places,
            });
            continue;
        }
    }
    if !outliers.is_empty() {
        return Err(outliers);
    }

    // Sites: the outermost value differences, and the list runs outside them.
    let mut values: Vec<SyntaxNode> = Vec::new();
    for m in &matches {
        for d in &m.diffs {
            if let Diff::Value { helper, .. } = d {
                values.push(helper.clone());
            }
        }
    }
    values.sort_by_key(|n| {
        (
            n.text_range().start(),
            std::cmp::Reverse(n.text_range().end()),
        )
    });
    let mut outer: Vec<SyntaxNode> = Vec::new();
    for v in values {
        if outer
            .iter()
            .any(|o| o.text_range().contains_range(v.text_range()))
        {
            continue;
        }
        outer.push(v);
    }
    // Sets whose keys differ: the keys some hosts lack move to a parameter
    // merged with `//`; differences inside those entries go with them.
    let mut attrs: BTreeMap<u32, (SyntaxNode, BTreeSet<String>)> = BTreeMap::new();
    for m in &matches {
        for d in &m.diffs {
            if let Diff::Attrs {
                set, only_helper, ..
            } = d
            {
                if outer
                    .iter()
                    .any(|o| o.text_range().contains_range(set.text_range()))
                {
                    continue;
                }
                let e = attrs
                    .entry(u32::from(set.text_range().start()))
                    .or_insert_with(|| (set.clone(), BTreeSet::new()));
                e.1.extend(only_helper.iter().cloned());
            }
        }
    }
    let mut moved: Vec<TextRange> = Vec::new();
    for (set, keys) in attrs.values() {
        let nodes = entry_nodes(set).unwrap_or_default();
        moved.extend(
            keys.iter()
                .filter_map(|k| nodes.get(k))
                .map(|n| n.text_range()),
        );
    }
    outer.retain(|v| !moved.iter().any(|m| m.contains_range(v.text_range())));
    let mut seqs: BTreeMap<(u32, usize, usize), SyntaxNode> = BTreeMap::new();
    for m in &matches {
        for d in &m.diffs {
            if let Diff::Seq { list, from, to, .. } = d {
                if outer
                    .iter()
                    .any(|o| o.text_range().contains_range(list.text_range()))
                    || moved.iter().any(|m| m.contains_range(list.text_range()))
                {
                    continue;
                }
                seqs.insert(
                    (u32::from(list.text_range().start()), *from, *to),
                    list.clone(),
                );
            }
        }
    }
    // Sequence sites of one list must not overlap each other or a value site.
    let seq_list: Vec<((usize, usize), SyntaxNode)> = seqs
        .iter()
        .map(|((_, f, t), l)| ((*f, *t), l.clone()))
        .collect();
    // A host whose run conflicts with other hosts' differences is another
    // system: the hosts with the run are outliers.
    let with_run = |l: &SyntaxNode, f: usize, t: usize| -> Vec<usize> {
        matches
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.diffs.iter().any(|d| matches!(d, Diff::Seq { list, from, to, .. } if list == l && *from == f && *to == t))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let conflict = |hosts_with: Vec<usize>, why: &str, r: TextRange| -> Vec<Outlier> {
        hosts_with
            .into_iter()
            .map(|h| Outlier {
                host: h,
                kind: OutlierKind::Different,
                why: why.to_string(),
                places: vec![(r, hosts[h].text_range())],
            })
            .collect()
    };
    for (i, ((f1, t1), l1)) in seq_list.iter().enumerate() {
        for ((f2, t2), l2) in seq_list.iter().skip(i + 1) {
            if l1 == l2 && f1.max(f2) < t1.min(t2) || l1 == l2 && f1 == f2 && t1 != t2 {
                let (a, b) = (with_run(l1, *f1, *t1), with_run(l2, *f2, *t2));
                // Hosts that share no module with the body are the ones to
                // leave out (an installer image), else those with fewer.
                let disjoint =
                    |hs: &[usize]| !hs.is_empty() && hs.iter().all(|&h| matches[h].disjoint_list);
                let fewer = if disjoint(&a) && !disjoint(&b) {
                    a
                } else if disjoint(&b) && !disjoint(&a) {
                    b
                } else if a.len() <= b.len() {
                    a
                } else {
                    b
                };
                let why = if disjoint(&fewer) {
                    DISJOINT
                } else {
                    "its modules differ from the others' in a run that overlaps theirs"
                };
                return Err(conflict(fewer, why, l1.text_range()));
            }
        }
        let elems = list_elems(l1);
        for e in &elems[*f1..*t1] {
            if outer
                .iter()
                .any(|o| e.text_range().contains_range(o.text_range()))
            {
                return Err(conflict(
                    with_run(l1, *f1, *t1),
                    "its modules replace a run of modules that other hosts change",
                    e.text_range(),
                ));
            }
        }
    }

    // Parameters, in the order of the body.
    let mut taken = o.taken.clone();
    taken.extend(o.formals.iter().cloned());
    taken.extend(names_read(body));
    let text = body.text().to_string();
    let base = body.text_range().start();
    let root = body.ancestors().last().unwrap_or_else(|| body.clone());
    let mut params: Vec<Param> = Vec::new();
    let param_indent = indent_of(body);
    for v in &outer {
        let alt = if in_list(v) { "Module" } else { "Arg" };
        // What the hosts pass there, to name the parameter after a role
        // they share with the helper's code.
        let passed: Vec<(usize, SyntaxNode)> = matches
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.diffs.iter().map(move |d| (i, d)))
            .filter_map(|(i, d)| match d {
                Diff::Value { helper, other } if helper.text_range() == v.text_range() => {
                    Some((i, other.clone()))
                }
                _ => None,
            })
            .collect();
        let own_name = |n: &SyntaxNode, name: Option<&str>| {
            name.is_some() && crate::flake::string_literal(n).as_deref() == name
        };
        let name = if entry_key(v).is_none()
            && !passed.is_empty()
            && own_name(v, o.body_name)
            && passed
                .iter()
                .all(|(i, n)| own_name(n, o.host_names.get(*i).and_then(|x| x.as_deref())))
        {
            fresh("hostname", alt, &mut taken)
        } else {
            let others: Vec<SyntaxNode> = passed.into_iter().map(|(_, n)| n).collect();
            fresh(&value_name(v, &others), alt, &mut taken)
        };
        // A new helper's parameter defaults to the base's code when most
        // hosts have that code.
        let differing = matches
            .iter()
            .filter(|m| {
                m.diffs
                    .iter()
                    .any(|d| v.text_range().contains_range(site_of(d)))
            })
            .count();
        let default = (o.defaults || differing * 2 < matches.len())
            .then(|| reindented(&root, v, &param_indent));
        params.push(Param {
            name,
            default,
            range: v.text_range(),
            seq: None,
            attrs: None,
        });
    }
    for ((f, t), list) in &seq_list {
        let elems = list_elems(list);
        let at = if *t == elems.len() {
            "extra"
        } else if *f == 0 {
            "prepend"
        } else {
            "more"
        };
        let key = list_key(list).unwrap_or_else(|| "items".into());
        let name = fresh(&format!("{at}{}", capitalise(&key)), "List", &mut taken);
        // A new helper takes a run most hosts lack as a parameter without
        // default, each host passing its own (the base's run is not the
        // helper's business), when every host's run can be read.
        let differing = matches
            .iter()
            .filter(|m| seq_diff(m, list, *f, *t).is_some())
            .count();
        let own = !o.defaults
            && f != t
            && differing * 2 >= matches.len()
            && matches.iter().zip(hosts).all(|(m, h)| {
                seq_diff(m, list, *f, *t).is_some() || own_run(m, h, body, list, *f, *t).is_some()
            });
        let default = if f == t {
            "[ ]".to_string()
        } else {
            let mut range = elems[*f].text_range().cover(elems[*t - 1].text_range());
            if let Some(c) = run_tail_comments(&elems[*t - 1]) {
                range = range.cover(c);
            }
            let inner = format!("{param_indent}{}", o.unit);
            let run = shift_range(
                list,
                range,
                Shift {
                    remove: &indent_of(&elems[*f]),
                    add: &inner,
                },
            );
            format!("[\n{inner}{run}\n{param_indent}]")
        };
        params.push(Param {
            name,
            default: (!own).then_some(default),
            range: list.text_range(),
            seq: Some((*f, *t)),
            attrs: None,
        });
    }
    for (set, keys) in attrs.values() {
        if keys.is_empty()
            && !matches.iter().any(|m| {
                m.diffs
                    .iter()
                    .any(|d| matches!(d, Diff::Attrs { set: s, .. } if s == set))
            })
        {
            continue;
        }
        let key = entry_key(set)
            .map(|k| capitalise(&camel(&k)))
            .unwrap_or_else(|| "Args".into());
        let name = fresh(&format!("more{key}"), "Attrs", &mut taken);
        let nodes = entry_nodes(set).unwrap_or_default();
        let inner = format!("{param_indent}{}", o.unit);
        let mut entries: Vec<&SyntaxNode> = keys.iter().filter_map(|k| nodes.get(k)).collect();
        entries.sort_by_key(|n| n.text_range().start());
        let default = if entries.is_empty() {
            "{ }".to_string()
        } else {
            let lines: Vec<String> = entries
                .iter()
                .map(|e| format!("{inner}{}", reindented(&root, e, &inner)))
                .collect();
            format!("{{\n{}\n{param_indent}}}", lines.join("\n"))
        };
        params.push(Param {
            name,
            default: Some(default),
            range: set.text_range(),
            seq: None,
            attrs: Some(keys.iter().cloned().collect()),
        });
    }
    params.sort_by_key(|p| (p.range.start(), p.seq.map(|s| s.0)));

    // The new body.
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    for p in params.iter().filter(|p| p.attrs.is_some()) {
        let Some(set) = body
            .descendants()
            .find(|n| n.text_range() == p.range && n.kind() == SyntaxKind::NODE_ATTR_SET)
        else {
            return Err(Vec::new());
        };
        let nodes = entry_nodes(&set).unwrap_or_default();
        for k in p.attrs.iter().flatten() {
            if let Some(n) = nodes.get(k) {
                edits.push((
                    whole_lines(&text, usize::from(base), n.text_range()),
                    String::new(),
                ));
            }
        }
        let bare = set.parent().is_some_and(|q| {
            q.kind() == SyntaxKind::NODE_ATTRPATH_VALUE
                || q.kind() == SyntaxKind::NODE_LET_IN
                || q.kind() == SyntaxKind::NODE_LAMBDA
        });
        if bare {
            edits.push((
                TextRange::empty(set.text_range().end()),
                format!(" // {}", p.name),
            ));
        } else {
            edits.push((TextRange::empty(set.text_range().start()), "(".into()));
            edits.push((
                TextRange::empty(set.text_range().end()),
                format!(" // {})", p.name),
            ));
        }
    }
    for p in params.iter().filter(|p| p.attrs.is_none()) {
        match p.seq {
            None => {
                // `key = <code>;` with a parameter named `key`: `inherit key;`.
                let entry = body
                    .descendants()
                    .find(|n| n.text_range() == p.range)
                    .and_then(|n| n.parent())
                    .filter(|e| e.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                    .filter(|e| {
                        e.first_child().is_some_and(|path| {
                            path.children().count() == 1
                                && path
                                    .first_child()
                                    .and_then(|a| static_attr_name(&a))
                                    .as_deref()
                                    == Some(p.name.as_str())
                        })
                    })
                    .filter(|e| {
                        e.parent().is_some_and(|s| {
                            s.kind() == SyntaxKind::NODE_ATTR_SET
                                && !s
                                    .children_with_tokens()
                                    .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
                        })
                    });
                match entry {
                    Some(e) => edits.push((e.text_range(), format!("inherit {};", p.name))),
                    // `(code)` becomes `name`, not `(name)`.
                    None => {
                        let mut range = p.range;
                        if let Some(mut n) = body.descendants().find(|n| n.text_range() == p.range)
                        {
                            while let Some(up) =
                                n.parent().filter(|u| u.kind() == SyntaxKind::NODE_PAREN)
                            {
                                range = up.text_range();
                                n = up;
                            }
                        }
                        edits.push((range, p.name.clone()))
                    }
                }
            }
            Some((f, t)) => {
                let list = body
                    .descendants()
                    .find(|n| n.text_range() == p.range && n.kind() == SyntaxKind::NODE_LIST)
                    .ok_or_else(Vec::new)?;
                let elems = list_elems(&list);
                let n = elems.len();
                let lr = list.text_range();
                if f == 0 && t == n {
                    edits.push((lr, p.name.clone()));
                    continue;
                }
                if f < t {
                    let run = elems[f].text_range().cover(elems[t - 1].text_range());
                    let new = if f > 0 && t < n {
                        format!("] ++ {} ++ [", p.name)
                    } else {
                        String::new()
                    };
                    edits.push((run, new));
                } else if f > 0 && t < n {
                    let at = elems[f].text_range().start();
                    let indent = indent_of(&elems[f]);
                    edits.push((
                        TextRange::empty(at),
                        format!("] ++ {} ++ [\n{indent}", p.name),
                    ));
                }
                if f == 0 {
                    edits.push((TextRange::empty(lr.start()), format!("{} ++ ", p.name)));
                } else if t == n {
                    edits.push((TextRange::empty(lr.end()), format!(" ++ {}", p.name)));
                }
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start(), r.end()));
    let mut new_body = String::new();
    let mut at = 0usize;
    for (range, new) in &edits {
        let lo = usize::from(range.start() - base);
        let hi = usize::from(range.end() - base);
        if lo < at {
            return Err(vec![Outlier {
                host: 0,
                kind: OutlierKind::Unreadable,
                why: "the differing places overlap".into(),
                places: vec![(*range, *range)],
            }]);
        }
        new_body.push_str(&text[at..lo]);
        new_body.push_str(new);
        at = hi;
    }
    new_body.push_str(&text[at..]);

    // What each host passes.
    let mut out_hosts = Vec::new();
    let mut outliers = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        let host = &hosts[i];
        let hroot = host.ancestors().last().unwrap_or_else(|| host.clone());
        let arg_indent = format!("{}{}", indent_of(host), o.unit);
        let mut args: Vec<(String, String)> = Vec::new();
        let mut kept: Vec<TextRange> = Vec::new();
        let mut leads = BTreeMap::new();
        let mut tails = BTreeMap::new();
        for f in o.formals {
            let Some(a) = m.args.get(f) else { continue };
            // Trailing list elements bound to a formal keep their layout
            // and comments, as a run does.
            match m.list_args.get(f).filter(|e| !e.is_empty()) {
                Some(run) => {
                    let (text, lead) = run_arg(run, &hroot, &arg_indent, o.unit, &mut kept);
                    args.push((f.clone(), text));
                    if !lead.is_empty() {
                        leads.insert(f.clone(), lead);
                    }
                }
                None => args.push((f.clone(), a.clone())),
            }
        }
        let mut new_params = 0;
        for p in &params {
            if let Some(keys) = &p.attrs {
                let moved_ranges: Vec<TextRange> = {
                    let set = body.descendants().find(|n| n.text_range() == p.range);
                    let nodes = set.as_ref().and_then(entry_nodes).unwrap_or_default();
                    keys.iter()
                        .filter_map(|k| nodes.get(k))
                        .map(|n| n.text_range())
                        .collect()
                };
                let differs = m.diffs.iter().any(|d| match d {
                    Diff::Attrs { set, .. } => set.text_range() == p.range,
                    _ => moved_ranges.iter().any(|r| r.contains_range(site_of(d))),
                });
                if !differs {
                    continue;
                }
                let Some(xset) = m.pairs.get(&p.range) else {
                    outliers.push(Outlier {
                        host: i,
                        kind: OutlierKind::Unreadable,
                        why: format!("no code of the host stands where `{}` is", p.name),
                        places: vec![(p.range, host.text_range())],
                    });
                    continue;
                };
                let hset = body.descendants().find(|n| n.text_range() == p.range);
                let hkeys: BTreeSet<String> = hset
                    .as_ref()
                    .and_then(entry_nodes)
                    .unwrap_or_default()
                    .into_keys()
                    .collect();
                let xnodes = entry_nodes(xset).unwrap_or_default();
                let mut pass: Vec<&SyntaxNode> = xnodes
                    .iter()
                    .filter(|(k, _)| !hkeys.contains(*k) || keys.contains(k))
                    .map(|(_, n)| n)
                    .collect();
                pass.sort_by_key(|n| n.text_range().start());
                let inner = format!("{arg_indent}{}", o.unit);
                let value = if pass.is_empty() {
                    "{ }".to_string()
                } else {
                    let lines: Vec<String> = pass
                        .iter()
                        .map(|e| {
                            let (lead, lr) = leading_comments(e);
                            kept.extend(lr);
                            kept.push(e.text_range());
                            let lead: String =
                                lead.lines().map(|l| format!("{inner}{l}\n")).collect();
                            format!("{lead}{inner}{}", reindented(&hroot, e, &inner))
                        })
                        .collect();
                    format!("{{\n{}\n{arg_indent}}}", lines.join("\n"))
                };
                args.push((p.name.clone(), value));
                new_params += 1;
                continue;
            }
            match p.seq {
                None => {
                    let differs = m.diffs.iter().any(|d| p.range.contains_range(site_of(d)));
                    if differs || p.default.is_none() {
                        let Some(node) = m.pairs.get(&p.range) else {
                            outliers.push(Outlier {
                                host: i,
                                kind: OutlierKind::Unreadable,
                                why: format!("no code of the host stands where `{}` is", p.name),
                                places: vec![(p.range, host.text_range())],
                            });
                            continue;
                        };
                        let (lead, lead_ranges) = leading_comments(node);
                        kept.extend(lead_ranges);
                        kept.push(node.text_range());
                        if let Some(t) = same_line_comment(node) {
                            kept.push(t.text_range());
                            tails.insert(p.name.clone(), t.text().to_string());
                        }
                        args.push((p.name.clone(), reindented(&hroot, node, &arg_indent)));
                        if !lead.is_empty() {
                            leads.insert(p.name.clone(), lead);
                        }
                        new_params += 1;
                    }
                }
                Some((f, t)) => {
                    let list = body.descendants().find(|n| n.text_range() == p.range);
                    let run = list.as_ref().and_then(|l| {
                        seq_diff(m, l, f, t).or_else(|| {
                            p.default
                                .is_none()
                                .then(|| own_run(m, host, body, l, f, t))
                                .flatten()
                        })
                    });
                    if let Some(run) = run {
                        new_params += 1;
                        if run.is_empty() {
                            args.push((p.name.clone(), "[ ]".into()));
                        } else {
                            let (text, lead) =
                                run_arg(&run, &hroot, &arg_indent, o.unit, &mut kept);
                            args.push((p.name.clone(), text));
                            if !lead.is_empty() {
                                leads.insert(p.name.clone(), lead);
                            }
                        }
                    }
                }
            }
        }
        if m.disjoint_list {
            outliers.push(Outlier {
                host: i,
                kind: OutlierKind::Different,
                why: DISJOINT.into(),
                places: vec![(body.text_range(), host.text_range())],
            });
        } else if new_params > MAX_NEW_PARAMS {
            outliers.push(Outlier {
                host: i,
                kind: OutlierKind::Unreadable,
                why: format!("it would pass {new_params} new parameters (more than {MAX_NEW_PARAMS}): the two are different systems"),
                places: m
                    .diffs
                    .iter()
                    .map(|d| match d {
                        Diff::Value { helper, other } => (helper.text_range(), other.text_range()),
                        _ => (site_of(d), host.text_range()),
                    })
                    .collect(),
            });
        }
        let loose = host
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == SyntaxKind::TOKEN_COMMENT)
            .filter(|t| !kept.iter().any(|k| k.contains_range(t.text_range())))
            .map(|t| t.text().to_string())
            .collect();
        out_hosts.push(HostArgs {
            args,
            leads,
            tails,
            loose_comments: loose,
            new_params,
        });
    }
    if !outliers.is_empty() {
        return Err(outliers);
    }
    if !o.defaults {
        majority_defaults(&mut params, &mut out_hosts);
    }
    Ok(Lift {
        params,
        hosts: out_hosts,
        body: new_body,
        matches,
    })
}

/// A new helper's parameter that most hosts pass with the same one-line
/// code (`system = "x86_64-linux"` in two hosts of three) takes that code
/// as its default, and those hosts stop passing it. The caller's proof
/// checks every call as before.
fn majority_defaults(params: &mut [Param], hosts: &mut [HostArgs]) {
    for p in params
        .iter_mut()
        .filter(|p| p.default.is_none() && p.seq.is_none() && p.attrs.is_none())
    {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for h in hosts.iter() {
            if let Some((_, v)) = h.args.iter().find(|(n, _)| n == &p.name) {
                *counts.entry(v.as_str()).or_default() += 1;
            }
        }
        let Some((text, n)) = counts.into_iter().max_by_key(|(_, n)| *n) else {
            continue;
        };
        if n * 2 <= hosts.len() || text.contains('\n') || n == hosts.len() {
            continue;
        }
        let text = text.to_string();
        for h in hosts.iter_mut() {
            let before = h.args.len();
            h.args.retain(|(name, v)| {
                name != &p.name
                    || v != &text
                    || h.leads.contains_key(name)
                    || h.tails.contains_key(name)
            });
            if h.args.len() < before {
                h.new_params -= 1;
            }
        }
        p.default = Some(text);
    }
}

/// The run a host has in place of the body's `list[from..to]`, when it differs there.
fn seq_diff(m: &BodyMatch, list: &SyntaxNode, from: usize, to: usize) -> Option<Vec<SyntaxNode>> {
    m.diffs.iter().find_map(|d| match d {
        Diff::Seq {
            list: l,
            from: f,
            to: t,
            run,
        } if l.text_range() == list.text_range() && *f == from && *t == to => Some(run.clone()),
        _ => None,
    })
}

/// The run `list[from..to]` as a host that does not differ there writes
/// it: the body's own elements for the base host (the body is that host),
/// else the elements of the host's list matched with `list` when it has as
/// many elements. `None` when it cannot be read.
fn own_run(
    m: &BodyMatch,
    host: &SyntaxNode,
    body: &SyntaxNode,
    list: &SyntaxNode,
    from: usize,
    to: usize,
) -> Option<Vec<SyntaxNode>> {
    let elems = list_elems(list);
    if host.text_range() == body.text_range() {
        return Some(elems[from..to].to_vec());
    }
    let theirs = list_elems(m.pairs.get(&list.text_range())?);
    (theirs.len() == elems.len()).then(|| theirs[from..to].to_vec())
}

/// A host's run of list elements (not empty) as an argument list indented
/// for `arg_indent`, with the comments that belong to it, and the comment
/// lines before its first element (for the caller to write above the
/// argument). The ranges it carries go to `kept`.
fn run_arg(
    run: &[SyntaxNode],
    hroot: &SyntaxNode,
    arg_indent: &str,
    unit: &str,
    kept: &mut Vec<TextRange>,
) -> (String, String) {
    let last = &run[run.len() - 1];
    let mut range = run[0].text_range().cover(last.text_range());
    if let Some(c) = run_tail_comments(last) {
        range = range.cover(c);
    }
    let (lead, lead_ranges) = leading_comments(&run[0]);
    kept.extend(lead_ranges);
    kept.push(range);
    let inner = format!("{arg_indent}{unit}");
    let text = shift_range(
        &run[0].parent().unwrap_or_else(|| hroot.clone()),
        range,
        Shift {
            remove: &indent_of(&run[0]),
            add: &inner,
        },
    );
    (format!("[\n{inner}{text}\n{arg_indent}]"), lead)
}

/// A `#` comment after `node` on its line (`./a.nix # the NAS`).
fn same_line_comment(node: &SyntaxNode) -> Option<rnix::SyntaxToken> {
    let mut t = node.next_sibling_or_token();
    while let Some(e) = t {
        match e.kind() {
            SyntaxKind::TOKEN_WHITESPACE if !e.to_string().contains('\n') => {}
            SyntaxKind::TOKEN_COMMENT => {
                let c = e.into_token()?;
                return c.text().starts_with('#').then_some(c);
            }
            _ => return None,
        }
        t = e.next_sibling_or_token();
    }
    None
}

/// The comments that belong with the last element `node` of a run: those
/// on its line, and when no element follows it in the list, every comment
/// up to the closing bracket (`./a.nix # why` / `/* note */ ]`). Comments
/// on later lines before another element stay with that element.
fn run_tail_comments(node: &SyntaxNode) -> Option<TextRange> {
    let mut same_line: Option<TextRange> = None;
    let mut all: Option<TextRange> = None;
    let mut on_line = true;
    let mut t = node.next_sibling_or_token();
    while let Some(e) = t {
        match e.kind() {
            SyntaxKind::TOKEN_WHITESPACE => {
                if e.to_string().contains('\n') {
                    on_line = false;
                }
            }
            SyntaxKind::TOKEN_COMMENT => {
                let r = e.text_range();
                all = Some(all.map_or(r, |a| a.cover(r)));
                if on_line {
                    same_line = Some(same_line.map_or(r, |a| a.cover(r)));
                }
            }
            SyntaxKind::TOKEN_R_BRACK => return all,
            _ => return same_line,
        }
        t = e.next_sibling_or_token();
    }
    all
}

/// `# comments` written right before `node` (after the previous sibling),
/// as lines ending in a newline, and their ranges.
fn leading_comments(node: &SyntaxNode) -> (String, Vec<TextRange>) {
    let mut out = Vec::new();
    let mut t = node.prev_sibling_or_token();
    while let Some(e) = t {
        match e.kind() {
            SyntaxKind::TOKEN_WHITESPACE => {}
            SyntaxKind::TOKEN_COMMENT => out.push(e.clone()),
            _ => break,
        }
        t = e.prev_sibling_or_token();
    }
    out.reverse();
    let text = out
        .iter()
        .map(|e| format!("{}\n", e.to_string().trim_end()))
        .collect();
    (text, out.iter().map(|e| e.text_range()).collect())
}

/// The text of `node`, its lines after the first re-indented to `add`.
fn reindented(root: &SyntaxNode, node: &SyntaxNode, add: &str) -> String {
    let from = &indent_of(node);
    let _ = root;
    shift_range(node, node.text_range(), Shift { remove: from, add })
}

/// The indentation of the line `node` starts on.
fn indent_of(node: &SyntaxNode) -> String {
    // Read the tokens before the node back to the line start (the line
    // only: no copy of the file's text, no search from the root).
    let mut t = node.first_token().and_then(|t| t.prev_token());
    let mut line = String::new();
    while let Some(x) = t {
        let text = x.text();
        if let Some(i) = text.rfind('\n') {
            line.insert_str(0, &text[i + 1..]);
            break;
        }
        line.insert_str(0, text);
        t = x.prev_token();
    }
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `home-manager` -> `homeManager`, `host_name` -> `hostName`.
fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in s.chars() {
        if ch == '-' || ch == '_' || ch == '"' || ch == '\'' {
            up = !out.is_empty();
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "arg");
    }
    out
}

fn fresh(base: &str, alt: &str, taken: &mut BTreeSet<String>) -> String {
    const KEYWORDS: &[&str] = &[
        "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
    ];
    let ok = |n: &str, taken: &BTreeSet<String>| {
        !taken.contains(n)
            && !KEYWORDS.contains(&n)
            && !crate::scope::is_builtin(n)
            && !taken.iter().any(|t| t.eq_ignore_ascii_case(n))
    };
    let mut name = base.to_string();
    if !ok(&name, taken) && !base.ends_with(alt) {
        name = format!("{base}{alt}");
    }
    let mut n = 2;
    while !ok(&name, taken) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The key of the entry whose value is `list` (`modules`).
fn list_key(list: &SyntaxNode) -> Option<String> {
    let p = list.parent()?;
    if p.kind() == SyntaxKind::NODE_BIN_OP {
        return list_key(&p);
    }
    entry_key(list)
}

/// The last static key of the entry whose value is `node`.
fn entry_key(node: &SyntaxNode) -> Option<String> {
    let mut n = node.clone();
    while let Some(p) = n.parent() {
        if p.kind() == SyntaxKind::NODE_PAREN {
            n = p;
            continue;
        }
        if p.kind() == SyntaxKind::NODE_ATTRPATH_VALUE {
            let path = p.first_child()?;
            return path.children().last().and_then(|a| static_attr_name(&a));
        }
        return None;
    }
    None
}

/// A name from the role of the code a parameter replaces (`node`, the
/// helper's code) and of what the hosts pass instead (`others`).
fn value_name(node: &SyntaxNode, others: &[SyntaxNode]) -> String {
    if let Some(k) = entry_key(node) {
        return camel(&k);
    }
    // A module in a list: named after what it sets, when the hosts' modules
    // set the same; a call of a `mkX` function is named `x`.
    if in_list(node) {
        // The role most modules there have (more than half of them), when
        // no module has another.
        let roles: Vec<Option<String>> = std::iter::once(node)
            .chain(others)
            .map(module_role)
            .collect();
        let mut known = roles.iter().flatten();
        if let Some(r) = known.next() {
            if known.clone().all(|o| o == r) && (known.count() + 1) * 2 > roles.len() {
                return r.clone();
            }
        }
        // A slot each host may fill with its own module.
        return "hostModule".into();
    }
    if node.kind() == SyntaxKind::NODE_IDENT {
        return format!("{}Input", node.text());
    }
    // The function a builder call applies (`inputs.nixpkgs.lib.nixosSystem`
    // in one, `nixpkgs.lib.nixosSystem` in the other).
    if is_builder_function(node) {
        return "builder".into();
    }
    "arg".into()
}

/// A selection ending in `nixosSystem` or `darwinSystem`, applied.
fn is_builder_function(node: &SyntaxNode) -> bool {
    node.kind() == SyntaxKind::NODE_SELECT
        && node.parent().is_some_and(|p| {
            p.kind() == SyntaxKind::NODE_APPLY && p.first_child().as_ref() == Some(node)
        })
        && node
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
            .and_then(|a| a.children().last())
            .is_some_and(|a| {
                matches!(
                    a.text().to_string().as_str(),
                    "nixosSystem" | "darwinSystem"
                )
            })
}

/// The role of a module: the one top-level key it sets (`{ home-manager =
/// ...; }`, also in a module function, → `homeManager`), or the function
/// that builds it (`mkHomeManager { ... }` → `homeManager`).
fn module_role(node: &SyntaxNode) -> Option<String> {
    let mut set = crate::syntax::unparen(node.clone());
    if set.kind() == SyntaxKind::NODE_LAMBDA {
        set = crate::syntax::unparen(set.last_child()?);
    }
    if set.kind() == SyntaxKind::NODE_APPLY {
        let head = crate::syntax::unparen(set.first_child()?);
        if head.kind() == SyntaxKind::NODE_IDENT {
            let name = head.text().to_string();
            let role = name
                .strip_prefix("mk")
                .filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_uppercase()))?;
            let mut cs = role.chars();
            let first = cs.next()?.to_ascii_lowercase();
            return Some(std::iter::once(first).chain(cs).collect());
        }
        return None;
    }
    if set.kind() != SyntaxKind::NODE_ATTR_SET {
        return None;
    }
    let keys: Vec<SyntaxNode> = set
        .children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .collect();
    // One key, named by its last name (`{ home-manager = ...; }`), or
    // dotted keys that all start with the same name
    // (`{ home-manager.useGlobalPkgs = ...; home-manager.users... }`).
    let first = |k: &SyntaxNode| {
        k.first_child()?
            .children()
            .next()
            .and_then(|a| static_attr_name(&a))
    };
    match keys.as_slice() {
        [one] => {
            let last = one.first_child()?.children().last()?;
            static_attr_name(&last).map(|k| camel(&k))
        }
        [k, rest @ ..] => {
            let head = first(k)?;
            rest.iter()
                .all(|o| first(o).as_ref() == Some(&head))
                .then(|| camel(&head))
        }
        [] => None,
    }
}

/// Whether `node` is an element of a list.
fn in_list(node: &SyntaxNode) -> bool {
    node.ancestors()
        .skip(1)
        .find(|a| a.kind() != SyntaxKind::NODE_PAREN)
        .is_some_and(|p| p.kind() == SyntaxKind::NODE_LIST)
}

/// The helper range a difference is about.
fn site_of(d: &Diff) -> TextRange {
    match d {
        Diff::Value { helper, .. } => helper.text_range(),
        Diff::Seq { list, .. } => list.text_range(),
        Diff::Attrs { set, .. } => set.text_range(),
    }
}

/// The whole lines of `range` when nothing else is on them (for deleting
/// an entry), else the range itself.
fn whole_lines(text: &str, base: usize, range: TextRange) -> TextRange {
    let (lo, hi) = (
        usize::from(range.start()) - base,
        usize::from(range.end()) - base,
    );
    let line_start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[hi..].find('\n').map_or(text.len(), |i| hi + i + 1);
    if text[line_start..lo].trim().is_empty()
        && text[hi..line_end].trim().is_empty()
        && line_end <= text.len()
    {
        TextRange::new(
            ((line_start + base) as u32).into(),
            ((line_end + base) as u32).into(),
        )
    } else {
        range
    }
}
