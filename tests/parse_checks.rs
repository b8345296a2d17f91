//! `syntax::checks` against real Nix.
//!
//! - `the_documented_examples_are_what_nix_does`: every example the module
//!   documents, with what Nix 2.8 does at parse time and, for the duplicates
//!   found at evaluation, what `nix-instantiate --eval --strict` does.
//! - `static_checks_agree_with_nix_parse`: 5,000 generated flake-like
//!   files (output definitions, each possibly with a mutation: the same path
//!   spelled another way, a set or a value at a prefix, a deeper path) with
//!   duplicate keys (bare, quoted, `${"..."}`, `"${"..."}"`,
//!   indented strings, escapes, a `let`-bound string), dotted paths against
//!   whole definitions, nested, `rec`, parenthesised and non-literal sets,
//!   `inherit` (plain, from, quoted, dynamic), duplicate formals and `@`
//!   names, dynamic keys in `let` and `rec`. Wherever the check finds no
//!   error Nix rejects at parse time, `nix-instantiate --parse` accepts the
//!   file (checked in batches of files, one Nix process per batch; a failing
//!   batch is bisected and the culprit shrunk by proptest to a minimal
//!   counterexample); and on a sample of the files where it finds one, Nix
//!   rejects the file with an error of that class.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use flake_refactor::syntax::checks::{parse_time_errors, Kind, ParseTimeError};
use flake_refactor::syntax::parse;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Generated files per run.
const FILES: usize = 5000;
/// Files per `nix-instantiate --parse` process.
const BATCH: usize = 1000;
/// Files with a parse-time error that are checked one by one with Nix.
const ERROR_SAMPLE: usize = 80;

fn nix(args: &[&str], files: &[PathBuf]) -> Result<(), String> {
    let out = Command::new("nix-instantiate")
        .args(args)
        .args(files)
        .env("NIX_CONFIG", "experimental-features = nix-command flakes")
        .output()
        .expect("run nix-instantiate");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// `nix-instantiate --parse` on `files` in one process.
fn nix_parse(files: &[PathBuf]) -> Result<(), String> {
    nix(&["--parse"], files)
}

/// The first file of `files` Nix fails to parse, by bisection, with its
/// error. (`nix-instantiate --parse f1 f2 ...` prints one line per file and
/// stops with exit code 1 at the first file it cannot parse.)
fn first_failure(files: &[PathBuf]) -> Option<(usize, String)> {
    let mut err = nix_parse(files).err()?;
    let (mut lo, mut hi) = (0, files.len());
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        match nix_parse(&files[lo..mid]) {
            Err(e) => {
                err = e;
                hi = mid;
            }
            Ok(()) => lo = mid,
        }
    }
    if files.len() > 1 {
        // `err` may come from a larger range: ask for this file alone.
        err = nix_parse(&files[lo..hi]).err().unwrap_or(err);
    }
    Some((lo, err))
}

fn errors_of(src: &str) -> Option<Vec<ParseTimeError>> {
    let file = parse(Path::new("t.nix"), src).ok()?;
    Some(parse_time_errors(&file, Path::new("t.nix")))
}

/// Nix's message for a class of errors rejected at parse time.
fn nix_message(kind: Kind) -> &'static str {
    match kind {
        Kind::Duplicate => "already defined",
        Kind::DuplicateFormal => "duplicate formal function argument",
        Kind::DynamicInLet => "dynamic attributes not allowed in let",
        Kind::DynamicInInherit => "dynamic attributes not allowed in inherit",
        Kind::DuplicateStrict | Kind::DuplicateAtEval => "(accepted at parse time)",
    }
}

// ---------------------------------------------------------------------------
// The documented examples.
// ---------------------------------------------------------------------------

/// What Nix 2.8 does with a file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Nix {
    /// Parses (and evaluates with `--eval --strict`, for closed expressions).
    Fine,
    /// Rejects it at parse time with an error of this class.
    Rejects(Kind),
    /// Parses it, fails at evaluation with "already defined".
    FailsAtEval,
}

/// (source, our kinds, Nix 2.8).
const EXAMPLES: &[(&str, &[Kind], Nix)] = {
    use Kind::*;
    use Nix::*;
    &[
        ("{ a = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        ("{ a = 1; \"a\" = 2; }", &[Duplicate], Rejects(Duplicate)),
        ("let a = 1; a = 2; in a", &[Duplicate], Rejects(Duplicate)),
        ("rec { a = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        (
            "let { a = 1; a = 2; body = a; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ \"a\\nb\" = 1; \"a\nb\" = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        ("{ \"\\a\" = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        ("{ a.b = 1; a.c = 2; }", &[], Fine),
        ("{ a = { b = 1; }; a.c = 2; }", &[], Fine),
        ("{ a = ({ b = 1; }); a.c = 2; }", &[], Fine),
        ("{ a = rec { b = 1; }; a.c = 2; }", &[], Fine),
        ("{ a.b = { x = 1; }; a.b.y = 2; }", &[], Fine),
        (
            "{ a.b.c = 1; a.b.c = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ a = { b = 1; }; a.b = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        ("{ a = 1; a.b = 2; }", &[Duplicate], Rejects(Duplicate)),
        ("{ a.b = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        (
            "{ a = {} // {}; a.b = 1; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ a = let in { c = 1; }; a.b = 1; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        // Nix 2.8 merges these; older Nix rejects them (the strict rule).
        ("{ a.b = 1; a = { c = 2; }; }", &[DuplicateStrict], Fine),
        ("{ a.b.y = 2; a.b = { x = 1; }; }", &[DuplicateStrict], Fine),
        (
            "{ a = { b = 1; }; a = { c = 1; }; }",
            &[DuplicateStrict],
            Fine,
        ),
        (
            "{ a.b = 1; a = { b = 2; }; }",
            &[DuplicateStrict, Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ a.b = 1; a = { c = 2; }; a.c = 3; }",
            &[DuplicateStrict, Duplicate],
            Rejects(Duplicate),
        ),
        // Dynamic keys.
        ("{ ${\"a\"} = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        (
            "{ ${(\"a\")} = 1; a = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        ("{ ${''a''} = 1; a = 2; }", &[Duplicate], Rejects(Duplicate)),
        (
            "{ ${''  \n  a''} = 1; a = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ ${''''$''} = 1; \"$\" = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ ${\"a\"}.b = 1; a.b = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "x: { \"$${x}\" = 1; \"$${x}\" = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "x: { ${''$${x}''} = 1; \"$${x}\" = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "{ \"${\"a\"}\" = 1; a = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "{ \"${\"a\"}\".b = 1; a.b = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "{ ${''a''$''} = 1; \"a$\" = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "{ ${''a''\\nb''} = 1; \"a\\nb\" = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "let h = \"delta\"; in { ${h} = 1; delta = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "let h = \"a\"; in { \"${h}\" = 1; a = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "let h = \"a\"; in { ${h}.x = 1; ${h}.y = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        // The per-system outputs of a flake, written by parts with a `let`-bound system.
        (
            "let system = \"x86_64-linux\"; in { packages.${system}.default = 1; packages.${system}.foo = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "let system = \"x86_64-linux\"; in { packages.${system}.default = 1; packages.x86_64-linux.foo = 2; }",
            &[DuplicateAtEval],
            FailsAtEval,
        ),
        (
            "let system = \"x86_64-linux\"; in { packages.${system} = { default = 1; foo = 2; }; }",
            &[],
            Fine,
        ),
        ("let h = x: x; in { ${h \"a\"} = 1; b = 2; }", &[], Fine),
        // inherit.
        (
            "let a = 1; in { inherit a; a = 2; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "let a = 1; in { a = 2; inherit a; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "let x = {}; in { inherit (x) a; inherit (x) a; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "let x = {}; in { inherit (x) a a; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        (
            "let a = {}; in { inherit a; a.b = 1; }",
            &[Duplicate],
            Rejects(Duplicate),
        ),
        ("let a = 1; in { inherit \"a\"; }", &[], Fine),
        ("let a = 1; in { inherit ${\"a\"}; }", &[], Fine),
        (
            "let a = 1; in { inherit \"${\"a\"}\"; }",
            &[DynamicInInherit],
            Rejects(DynamicInInherit),
        ),
        // Formals.
        (
            "{ a, b ? 1, a ? 2 }: 1",
            &[DuplicateFormal],
            Rejects(DuplicateFormal),
        ),
        ("{ a }@a: 1", &[DuplicateFormal], Rejects(DuplicateFormal)),
        ("a@{ a }: 1", &[DuplicateFormal], Rejects(DuplicateFormal)),
        ("x: { x }: 1", &[], Fine),
        // Dynamic attributes in let, rec and legacy let.
        (
            "let x = \"q\"; in let ${x} = 1; in 2",
            &[DynamicInLet],
            Rejects(DynamicInLet),
        ),
        (
            "let \"${\"a\"}\" = 1; in 2",
            &[DynamicInLet],
            Rejects(DynamicInLet),
        ),
        ("let ${\"a\"} = 1; in a", &[], Fine),
        ("let x = \"a\"; in let a.${x} = 1; in a", &[], Fine),
        ("let x = \"q\"; in rec { ${x} = 1; }", &[], Fine),
        ("let x = \"q\"; in let { ${x} = 1; body = 2; }", &[], Fine),
    ]
};

#[test]
fn the_documented_examples_are_what_nix_does() {
    for (src, kinds, _) in EXAMPLES {
        let got: Vec<Kind> = errors_of(src)
            .unwrap_or_else(|| panic!("rnix rejects {src}"))
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(&got, kinds, "our check on {src}");
    }
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, (src, _, expected)) in EXAMPLES.iter().enumerate() {
        let file = dir.path().join(format!("e{i}.nix"));
        std::fs::write(&file, src).unwrap();
        let files = [file];
        let parsed = nix_parse(&files);
        let evaluated = || nix(&["--eval", "--strict"], &files);
        match expected {
            Nix::Fine => {
                assert_eq!(parsed, Ok(()), "Nix parses {src}");
                assert_eq!(evaluated(), Ok(()), "Nix evaluates {src}");
            }
            Nix::Rejects(kind) => {
                let err = parsed.expect_err(src);
                assert!(err.contains(nix_message(*kind)), "Nix on {src}: {err}");
            }
            Nix::FailsAtEval => {
                assert_eq!(parsed, Ok(()), "Nix parses {src}");
                let err = evaluated().expect_err(src);
                assert!(
                    err.contains("already defined"),
                    "Nix evaluates {src}: {err}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Generated flake-like files.
// ---------------------------------------------------------------------------

/// Names of keys; the first three are also formals, and attributes of `src`.
const NAMES: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "i", "j"];

/// A key for a name, in one of the ways Nix spells it.
fn key() -> BoxedStrategy<String> {
    let name = || prop::sample::select(NAMES);
    prop_oneof![
        24 => name().prop_map(str::to_string),
        3 => name().prop_map(|n| format!("\"{n}\"")),
        1 => name().prop_map(|n| format!("\"\\{n}\"")),
        2 => name().prop_map(|n| format!("${{\"{n}\"}}")),
        1 => name().prop_map(|n| format!("\"${{\"{n}\"}}\"")),
        1 => name().prop_map(|n| format!("${{''{n}''}}")),
        1 => name().prop_map(|n| format!("${{''\n      {n}''}}")),
        1 => name().prop_map(|n| format!("${{''{n}''$''}}")),
        1 => Just("${h}".to_string()),
        1 => Just("\"${h}\"".to_string()),
        1 => Just("${x}".to_string()),
    ]
    .boxed()
}

fn attrpath() -> BoxedStrategy<String> {
    prop::collection::vec(key(), 1..=3)
        .prop_map(|v| v.join("."))
        .boxed()
}

fn names() -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![
            12 => prop::sample::select(&NAMES[..3]).prop_map(str::to_string),
            1 => prop::sample::select(&NAMES[..3]).prop_map(|n| format!("\"{n}\"")),
            1 => prop::sample::select(&NAMES[..3]).prop_map(|n| format!("${{\"{n}\"}}")),
            1 => prop::sample::select(&NAMES[..3]).prop_map(|n| format!("\"${{\"{n}\"}}\"")),
        ],
        1..=2,
    )
    .prop_map(|v| v.join(" "))
    .boxed()
}

fn entry(depth: u32) -> BoxedStrategy<String> {
    prop_oneof![
        12 => (attrpath(), value(depth)).prop_map(|(k, v)| format!("{k} = {v};")),
        1 => names().prop_map(|n| format!("inherit {n};")),
        1 => names().prop_map(|n| format!("inherit (src) {n};")),
    ]
    .boxed()
}

fn entries(depth: u32) -> BoxedStrategy<String> {
    prop::collection::vec(entry(depth), 0..=3)
        .prop_map(|v| v.join(" "))
        .boxed()
}

fn value(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop::sample::select(vec!["1", "x", "h", "\"s\"", "{ }", "[ ]"])
        .prop_map(str::to_string)
        .boxed();
    if depth == 0 {
        return leaf;
    }
    let inner = entries(depth - 1);
    prop_oneof![
        3 => leaf,
        4 => inner.clone().prop_map(|e| format!("{{ {e} }}")),
        1 => inner.clone().prop_map(|e| format!("rec {{ {e} }}")),
        1 => inner.clone().prop_map(|e| format!("({{ {e} }})")),
        1 => (inner.clone(), inner.clone()).prop_map(|(l, e)| format!("let {l} in {{ {e} }}")),
        1 => inner.prop_map(|e| format!("{{ {e} }} // {{ }}")),
    ]
    .boxed()
}

/// Names of the outputs the mutations work on.
const OUTPUT_NAMES: &[&str] = &[
    "packages",
    "devShells",
    "nixosConfigurations",
    "default",
    "x86_64-linux",
    "aarch64-darwin",
    "host",
    "lib",
];

/// `name` spelled in one of the ways that give Nix's parser a static key
/// (forms 0 to 4) or, for form 5, a key known only at evaluation.
fn spell(name: &str, form: usize) -> String {
    match form {
        0 => name.to_string(),
        1 => format!("\"{name}\""),
        2 => format!("${{\"{name}\"}}"),
        3 => format!("${{''{name}''}}"),
        4 => format!("\"\\{name}\""),
        _ => format!("\"${{\"{name}\"}}\""),
    }
}

/// An output definition: its path (name index, spelling) and its value.
type Output = (Vec<(usize, usize)>, String);

fn output() -> BoxedStrategy<Output> {
    let part = (
        0..OUTPUT_NAMES.len(),
        prop_oneof![6 => Just(0usize), 1 => 1..6usize],
    );
    (prop::collection::vec(part, 1..=3), value(1)).boxed()
}

fn render_output((path, value): &Output) -> String {
    let path: Vec<String> = path
        .iter()
        .map(|&(n, f)| spell(OUTPUT_NAMES[n], f))
        .collect();
    format!("{} = {value};", path.join("."))
}

/// A mutation of one output definition that may clash with it.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    /// The same path again, spelled differently.
    Again(Vec<usize>),
    /// A set defined at a prefix of the path (a whole definition over a dotted one).
    WholeAtPrefix(usize),
    /// A value that is not a set at a prefix of the path.
    ValueAtPrefix(usize),
    /// A path going one step further.
    Deeper,
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        5 => Just(Mutation::None),
        2 => prop::collection::vec(0..6usize, 3).prop_map(Mutation::Again),
        1 => (1..3usize).prop_map(Mutation::WholeAtPrefix),
        1 => (1..3usize).prop_map(Mutation::ValueAtPrefix),
        1 => Just(Mutation::Deeper),
    ]
    .boxed()
}

fn mutate((path, _): &Output, m: &Mutation) -> Option<Output> {
    let names: Vec<usize> = path.iter().map(|&(n, _)| n).collect();
    let plain = |names: &[usize]| names.iter().map(|&n| (n, 0)).collect::<Vec<_>>();
    Some(match m {
        Mutation::None => return None,
        Mutation::Again(forms) => (
            names.iter().zip(forms).map(|(&n, &f)| (n, f)).collect(),
            "1".into(),
        ),
        Mutation::WholeAtPrefix(k) => {
            (plain(&names[..(*k).min(names.len())]), "{ zz = 1; }".into())
        }
        Mutation::ValueAtPrefix(k) => (plain(&names[..(*k).min(names.len())]), "1".into()),
        Mutation::Deeper => {
            let mut p = plain(&names);
            p.push((3, 0));
            (p, "1".into())
        }
    })
}

/// A flake-like file: a function of a pattern, a `let`, a set of outputs
/// (generated ones, and definitions of outputs with a mutation of one of
/// them before or after it).
fn flake_file() -> BoxedStrategy<String> {
    let formal = prop::sample::select(vec!["x", "a", "y", "args"]);
    let at = prop::sample::select(vec!["x", "a", "z"]);
    let outputs = (
        prop::collection::vec(output(), 1..=2),
        any::<prop::sample::Index>(),
        mutation(),
        any::<bool>(),
        prop::collection::vec(entry(2), 0..=2).prop_map(|v| v.join(" ")),
    )
        .prop_map(|(defs, which, m, before, more)| {
            let mut out: Vec<String> = defs.iter().map(render_output).collect();
            let i = which.index(defs.len());
            if let Some(changed) = mutate(&defs[i], &m) {
                out.insert(if before { i } else { i + 1 }, render_output(&changed));
            }
            out.push(more);
            out.join("\n  ")
        });
    (
        prop_oneof![16 => Just(Vec::new()), 1 => prop::collection::vec(formal, 1..=1)],
        prop_oneof![24 => Just("args"), 1 => at],
        any::<bool>(),
        prop::collection::vec(entry(1), 0..=2).prop_map(|v| v.join(" ")),
        outputs,
    )
        .prop_map(|(extra, at, at_first, lets, outputs)| {
            let extra: String = extra.iter().map(|f| format!(", {f}")).collect();
            let pattern = format!("{{ x, a ? 1, b ? 2, c ? 3{extra}, ... }}");
            let head = if at_first {
                format!("{at}@{pattern}")
            } else {
                format!("{pattern}@{at}")
            };
            format!(
                "{head}:\nlet\n  h = \"a\";\n  src = {{ a = 1; b = 2; c = 3; }};\n  {lets}\nin\n{{\n  {outputs}\n}}\n"
            )
        })
        .boxed()
}

/// What our check says: the classes of error Nix 2.8 reports at parse time.
fn parse_time_kinds(src: &str) -> Option<Vec<Kind>> {
    Some(
        errors_of(src)?
            .into_iter()
            .map(|e| e.kind)
            .filter(|k| k.rejected_at_parse())
            .collect(),
    )
}

/// Whether `src` is a counterexample: we find no parse-time error, Nix
/// rejects the file (or the other way round, with `expect_error`).
fn disagrees(dir: &Path, src: &str, expect_error: bool) -> Option<String> {
    let kinds = parse_time_kinds(src)?;
    if kinds.is_empty() == expect_error {
        return None;
    }
    let file = dir.join("shrink.nix");
    std::fs::write(&file, src).unwrap();
    match (nix_parse(&[file]), expect_error) {
        (Err(e), false) => Some(format!(
            "our check finds no parse-time error, Nix says: {e}"
        )),
        (Ok(()), true) => Some(format!("our check finds {kinds:?}, Nix parses the file")),
        (Err(e), true) if !kinds.iter().any(|k| e.contains(nix_message(*k))) => {
            Some(format!("our check finds {kinds:?}, Nix says: {e}"))
        }
        _ => None,
    }
}

/// Shrink `tree` while it stays a counterexample; panic with the smallest.
fn shrink_and_fail(
    dir: &Path,
    mut tree: Box<dyn ValueTree<Value = String>>,
    expect_error: bool,
) -> ! {
    let mut best = tree.current();
    let mut why =
        disagrees(dir, &best, expect_error).unwrap_or_else(|| "(not reproduced alone)".into());
    let mut steps = 0;
    if tree.simplify() {
        loop {
            steps += 1;
            let src = tree.current();
            let more = match disagrees(dir, &src, expect_error) {
                Some(w) => {
                    (best, why) = (src, w);
                    tree.simplify()
                }
                None => tree.complicate(),
            };
            if !more || steps > 500 {
                break;
            }
        }
    }
    panic!("minimal counterexample ({steps} shrink steps):\n{best}\n{why}");
}

#[test]
fn static_checks_agree_with_nix_parse() {
    if !common::nix_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t0 = std::time::Instant::now();
    let strategy = flake_file();
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    // Generate here (the value trees stay on this thread, for shrinking);
    // parse, check and write on another thread meanwhile.
    let mut trees = Vec::with_capacity(FILES);
    let (fine, rejected, unparsable, classes) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::channel::<(usize, String)>();
        let dir = dir.path();
        let checker = scope.spawn(move || {
            let mut fine: Vec<usize> = Vec::new();
            let mut rejected: Vec<usize> = Vec::new();
            let mut unparsable = 0usize;
            let mut classes = std::collections::BTreeMap::new();
            for (i, src) in receive {
                let Some(errors) = errors_of(&src) else {
                    unparsable += 1;
                    continue;
                };
                for e in &errors {
                    *classes.entry(e.kind).or_insert(0usize) += 1;
                }
                if errors.iter().any(|e| e.kind.rejected_at_parse()) {
                    rejected.push(i);
                } else {
                    std::fs::write(dir.join(format!("f{i}.nix")), &src).unwrap();
                    fine.push(i);
                }
            }
            (fine, rejected, unparsable, classes)
        });
        for i in 0..FILES {
            let tree = strategy.new_tree(&mut runner).unwrap();
            send.send((i, tree.current())).unwrap();
            trees.push(tree);
        }
        drop(send);
        checker.join().unwrap()
    });
    assert!(
        unparsable * 50 < FILES,
        "{unparsable} generated files rnix rejects"
    );
    // Every class of error is generated, and so are files without any.
    for kind in [
        Kind::Duplicate,
        Kind::DuplicateStrict,
        Kind::DuplicateAtEval,
        Kind::DuplicateFormal,
        Kind::DynamicInLet,
        Kind::DynamicInInherit,
    ] {
        assert!(
            classes.get(&kind).copied().unwrap_or(0) >= 20,
            "too few {kind:?}: {classes:?}"
        );
    }
    assert!(
        fine.len() * 3 > FILES && rejected.len() * 5 > FILES,
        "{} fine, {} rejected",
        fine.len(),
        rejected.len()
    );

    // Where we find no parse-time error, Nix parses the file.
    for chunk in fine.chunks(BATCH) {
        let paths: Vec<PathBuf> = chunk
            .iter()
            .map(|i| dir.path().join(format!("f{i}.nix")))
            .collect();
        if let Some((k, _)) = first_failure(&paths) {
            let tree = trees.swap_remove(chunk[k]);
            shrink_and_fail(dir.path(), tree, false);
        }
    }

    // Where we find one, Nix rejects the file with that class of error (a sample).
    let step = (rejected.len() / ERROR_SAMPLE).max(1);
    for i in rejected.iter().step_by(step).take(ERROR_SAMPLE) {
        let src = trees[*i].current();
        if disagrees(dir.path(), &src, true).is_some() {
            let tree = trees.swap_remove(*i);
            shrink_and_fail(dir.path(), tree, true);
        }
    }
    eprintln!(
        "{:?}: {FILES} files: {} without parse-time errors (parsed by Nix), {} with ({} checked); errors found: {classes:?}",
        t0.elapsed(),
        fine.len(),
        rejected.len(),
        ERROR_SAMPLE.min(rejected.len()),
    );
}
