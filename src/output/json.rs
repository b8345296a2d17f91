//! `apply --format json`: one JSON document per run, also when the run
//! fails. The schema is documented in `docs/apply-json.md` and versioned by
//! [`SCHEMA_VERSION`]: fields are only added within a version; a rename or
//! removal bumps it. Paths are relative to the repository root (`root`).

use serde::Serialize;

use crate::apply::{Applied, Request};
use crate::error::{Error, Location};
use crate::evaluate::Status;
use crate::output::{diff, report, term};

/// The version of the apply JSON schema (`"version"` in the output).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    command: &'static str,
    mode: &'static str,
    /// `changes`, `nothing-to-do`, `written`, `committed` or `error`.
    status: &'static str,
    exit_code: u8,
    root: Option<String>,
    flake: Option<String>,
    files: Vec<File>,
    codemods: Vec<CodemodRun<'a>>,
    removed_comments: &'a [String],
    verify: Option<Verify>,
    written: Option<Written>,
    branch: Option<Branch>,
    error: Option<ErrorJson>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File {
    path: String,
    /// `created`, `changed` or `deleted`.
    status: &'static str,
    diff: String,
}

#[derive(Serialize)]
struct CodemodRun<'a> {
    name: &'a str,
    actions: Vec<&'a str>,
    notes: Vec<Note<'a>>,
    declared_changes: Vec<&'a str>,
}

#[derive(Serialize)]
struct Note<'a> {
    message: &'a str,
    location: Option<Loc>,
}

#[derive(Serialize)]
struct Loc {
    file: String,
    line: usize,
    column: usize,
}

fn loc(l: &Location) -> Loc {
    Loc {
        file: l.file.to_string_lossy().replace('\\', "/"),
        line: l.line,
        column: l.col,
    }
}

#[derive(Serialize)]
struct Verify {
    outputs: Vec<VerifyRow>,
    evaluations: usize,
    /// The table as the text output shows it.
    table: String,
}

#[derive(Serialize)]
struct VerifyRow {
    output: String,
    path: Vec<String>,
    /// `identical`, `changed`, `failed`, `failed-both`.
    result: &'static str,
    detail: Option<String>,
    declared: bool,
}

#[derive(Serialize)]
struct Written {
    files: Vec<String>,
    intent_to_add: Vec<String>,
}

#[derive(Serialize)]
struct Branch {
    name: String,
    commit: String,
}

#[derive(Serialize)]
struct ErrorJson {
    /// `syntax`, `encoding`, `refused`, `check-failed`, `usage`, `output`, `verify`, `io`.
    kind: &'static str,
    /// The whole message, as the text output prints it after `error:`.
    message: String,
    /// The reason alone, without the place and the codemod's name.
    reason: String,
    codemod: Option<String>,
    check: Option<&'static str>,
    location: Option<Loc>,
}

fn error_json(e: &Error) -> ErrorJson {
    let (kind, reason, codemod, check) = match e {
        Error::Syntax { message, .. } => ("syntax", message.clone(), None, None),
        Error::Encoding { message, .. } => ("encoding", message.clone(), None, None),
        Error::Refused {
            codemod, message, ..
        } => ("refused", message.clone(), Some(codemod.clone()), None),
        Error::CheckFailed { check, message, .. } => {
            ("check-failed", message.clone(), None, Some(*check))
        }
        Error::Usage(m) => ("usage", m.clone(), None, None),
        Error::Output(m) => ("output", m.clone(), None, None),
        Error::Verify(m) => ("verify", m.clone(), None, None),
        Error::Io { source, .. } => ("io", source.to_string(), None, None),
        Error::Interrupted(_) => ("interrupted", e.to_string(), None, None),
    };
    let location = term::error_location(e);
    let message = match &location {
        Some(l) => format!("{l}: {}", term::split_error(e).1),
        None => term::split_error(e).1,
    };
    ErrorJson {
        kind,
        message,
        reason,
        codemod,
        check,
        location: location.as_ref().map(loc),
    }
}

/// The JSON error document for an error before any run (a bad option).
pub fn render_error(e: Error) -> String {
    render(
        &Request {
            codemods: Vec::new(),
            flake: None,
            only: Vec::new(),
            to: Vec::new(),
            allow_breaking: false,
            inputs: Vec::new(),
            all_shared: false,
            pass_names: false,
            name: None,
            helper_file: None,
            remove_unused: false,
            expand_systems: false,
            verify: false,
            mode: crate::apply::Mode::DryRun,
        },
        &Applied {
            error: Some(e),
            ..Applied::default()
        },
    )
}

/// The JSON document of a run.
pub fn render(req: &Request, applied: &Applied) -> String {
    let outcome = applied.outcome.as_ref();
    let root = applied
        .located
        .as_ref()
        .map(|l| l.root.display().to_string());
    let flake = applied
        .located
        .as_ref()
        .map(|l| l.flake_path.to_string_lossy().replace('\\', "/"));
    let files = outcome
        .map(|o| {
            o.changes
                .iter()
                .filter(|c| c.old != c.new)
                .map(|c| File {
                    path: c.path.to_string_lossy().replace('\\', "/"),
                    status: report::verb(c),
                    diff: diff::unified_diff(std::slice::from_ref(c), false),
                })
                .collect()
        })
        .unwrap_or_default();
    let codemods = req
        .codemods
        .iter()
        .map(|name| {
            let of = |n: &String| n == name;
            CodemodRun {
                name,
                actions: outcome
                    .map(|o| {
                        o.actions
                            .iter()
                            .filter(|(c, _)| of(c))
                            .map(|(_, a)| a.as_str())
                            .collect()
                    })
                    .unwrap_or_default(),
                notes: outcome
                    .map(|o| {
                        o.notes
                            .iter()
                            .filter(|(c, _)| of(c))
                            .map(|(_, n)| Note {
                                message: &n.message,
                                location: n.location.as_ref().map(loc),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                declared_changes: outcome
                    .map(|o| {
                        o.declared_by
                            .iter()
                            .filter(|(c, _)| of(c))
                            .map(|(_, d)| d.as_str())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let verify = applied.verification.as_ref().map(|v| Verify {
        outputs: v
            .rows
            .iter()
            .map(|r| {
                let (declared, status) = match &r.status {
                    Status::Declared(inner) => (true, inner.as_ref()),
                    other => (false, other),
                };
                let (result, detail) = match status {
                    Status::Identical => ("identical", None),
                    Status::Changed(d) => ("changed", Some(d.clone())),
                    Status::Failed(d) => ("failed", Some(d.clone())),
                    Status::FailedBoth(d) => ("failed-both", Some(d.clone())),
                    Status::Declared(d) => ("changed", Some(format!("{d:?}"))),
                };
                VerifyRow {
                    output: r.output(),
                    path: r.path.clone(),
                    result,
                    detail,
                    declared,
                }
            })
            .collect(),
        evaluations: v.evaluations,
        table: v.render(),
    });
    let paths = |ps: &[std::path::PathBuf]| {
        ps.iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect()
    };
    let doc = Doc {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "flake-refactor",
            version: env!("CARGO_PKG_VERSION"),
        },
        command: "apply",
        mode: req.mode.as_str(),
        status: applied.status(),
        exit_code: applied.exit_code(&req.mode),
        root,
        flake,
        files,
        codemods,
        removed_comments: outcome.map(|o| &o.removed_comments[..]).unwrap_or(&[]),
        verify,
        written: applied.written.as_ref().map(|w| Written {
            files: paths(&w.written),
            intent_to_add: paths(&w.intent_to_add),
        }),
        branch: applied.committed.as_ref().map(|b| Branch {
            name: b.branch.clone(),
            commit: b.commit.clone(),
        }),
        error: applied.error.as_ref().map(error_json),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| {
        format!(
            "{{\"version\": {SCHEMA_VERSION}, \"status\": \"error\", \"exit_code\": 2, \"error\": {{\"kind\": \"output\", \"message\": {}}}}}",
            serde_json::Value::from(e.to_string())
        )
    });
    text.push('\n');
    text
}
