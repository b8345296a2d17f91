//! The JSON format. Its schema is documented in `docs/review.md` and
//! versioned by [`SCHEMA_VERSION`]: fields are only added within a version;
//! a rename or removal bumps it.

use serde::Serialize;

use crate::error::Error;
use crate::review::{codemod_available, BuiltWith, LockState, NixpkgsUse, Report, Span};

/// The version of the JSON schema (`"version"` in the output).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    /// The repository root, absolute (only from the command line).
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<String>,
    flake: String,
    summary: Summary,
    overview: Overview<'a>,
    done_well: Vec<Practice<'a>>,
    findings: Vec<Finding<'a>>,
    recommendations: Vec<Recommendation>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Overview<'a> {
    flake_lines: usize,
    description: Option<&'a str>,
    configurations: Vec<Configuration<'a>>,
    inputs: Vec<Input<'a>>,
    modules: Modules<'a>,
    lock: Lock,
    flake_parts: bool,
    systems: &'a [String],
}

#[derive(Serialize)]
struct Configuration<'a> {
    output: &'a str,
    name: Option<&'a str>,
    /// `direct`, `helper` or `unknown`.
    built_with: &'static str,
    /// The builder expression or the helper's name.
    function: Option<&'a str>,
    system_modules: usize,
    home_modules: usize,
    location: Location,
}

#[derive(Serialize)]
struct Input<'a> {
    name: &'a str,
    url: Option<&'a str>,
    /// `is-nixpkgs`, `follows`, `shared`, `own`, `no-nixpkgs-input`, `not-followed`.
    nixpkgs: &'static str,
    /// The followed input (`follows`) or the lock node (`own`).
    nixpkgs_detail: Option<&'a str>,
    location: Location,
}

#[derive(Serialize)]
struct Modules<'a> {
    system: Vec<Dir<'a>>,
    home: Vec<Dir<'a>>,
    system_total: usize,
    home_total: usize,
    not_followed: &'a [String],
}

#[derive(Serialize)]
struct Dir<'a> {
    dir: &'a str,
    files: usize,
}

#[derive(Serialize)]
struct Lock {
    /// `missing`, `unreadable`, `untracked`, `tracked`, `present`.
    state: &'static str,
    nixpkgs_nodes: Option<usize>,
}

#[derive(Serialize)]
struct Practice<'a> {
    title: &'a str,
    detail: &'a str,
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Finding<'a> {
    id: &'static str,
    rule: &'static str,
    severity: &'static str,
    title: &'static str,
    message: &'a str,
    explanation: &'static str,
    codemod: Option<&'static str>,
    codemod_available: bool,
    fix: String,
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Location {
    file: String,
    start: Pos,
    end: Pos,
    label: Option<String>,
}

#[derive(Serialize)]
struct Pos {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Recommendation {
    id: &'static str,
    action: &'static str,
    findings: Vec<usize>,
    command: Option<String>,
    codemod_available: bool,
    /// What the codemod would do now: `{ "outcome": "changes", "files": 6 }`,
    /// `{ "outcome": "nothing-to-do" }` or `{ "outcome": "refuses", "reason": "..." }`.
    trial: Option<TrialJson>,
    manual_fix: &'static str,
}

#[derive(Serialize)]
struct TrialJson {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn trial_json(t: &crate::review::Trial) -> TrialJson {
    use crate::review::Trial;
    match t {
        Trial::Changes(n) => TrialJson {
            outcome: "changes",
            files: Some(*n),
            reason: None,
        },
        Trial::NothingToDo => TrialJson {
            outcome: "nothing-to-do",
            files: None,
            reason: None,
        },
        Trial::LeavesAsIs(why) => TrialJson {
            outcome: "nothing-to-do",
            files: None,
            reason: Some(why.clone()),
        },
        Trial::Refuses(why) => TrialJson {
            outcome: "refuses",
            files: None,
            reason: Some(why.clone()),
        },
    }
}

fn location(s: &Span) -> Location {
    Location {
        file: s.file.display().to_string(),
        start: Pos {
            line: s.start.line,
            column: s.start.col,
        },
        end: Pos {
            line: s.end.line,
            column: s.end.col,
        },
        label: s.label.clone(),
    }
}

/// The document for a review that could not run: the version, the tool,
/// what is known of the flake, and the error, with empty findings.
#[derive(Serialize)]
struct ErrorDoc {
    version: u32,
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<String>,
    flake: Option<String>,
    summary: Summary,
    overview: Option<()>,
    done_well: [(); 0],
    findings: [(); 0],
    recommendations: [(); 0],
    error: ErrorJson,
}

#[derive(Serialize)]
struct ErrorJson {
    message: String,
    location: Option<Location>,
}

pub(super) fn render_error(
    err: &Error,
    flake: Option<&std::path::Path>,
    root: Option<&std::path::Path>,
) -> Result<String, Error> {
    let (_, message) = crate::output::term::split_error(err);
    let place = crate::output::term::error_location(err);
    let doc = ErrorDoc {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "flake-refactor",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: root.map(|r| r.display().to_string()),
        flake: flake.map(|f| f.to_string_lossy().replace('\\', "/")),
        summary: Summary {
            errors: 0,
            warnings: 0,
            infos: 0,
        },
        overview: None,
        done_well: [],
        findings: [],
        recommendations: [],
        error: ErrorJson {
            message: match &place {
                Some(l) => format!("{l}: {message}"),
                None => message,
            },
            location: place.map(|l| location(&Span::at(&l.file, l.line, l.col))),
        },
    };
    serde_json::to_string_pretty(&doc)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Output(format!("cannot serialise the review as JSON: {e}")))
}

pub(super) fn render(r: &Report, root: Option<&std::path::Path>) -> Result<String, Error> {
    let o = &r.overview;
    let (errors, warnings, infos) = r.counts();
    let doc = Doc {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "flake-refactor",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: root.map(|r| r.display().to_string()),
        flake: r.flake.display().to_string(),
        summary: Summary {
            errors,
            warnings,
            infos,
        },
        overview: Overview {
            flake_lines: o.flake_lines,
            description: o.description.as_deref(),
            configurations: o
                .configurations
                .iter()
                .map(|c| {
                    let (built_with, function) = match &c.built_with {
                        BuiltWith::Direct(t) => ("direct", Some(t.as_str())),
                        BuiltWith::Helper(h) => ("helper", Some(h.as_str())),
                        BuiltWith::Unknown => ("unknown", None),
                    };
                    Configuration {
                        output: &c.output,
                        name: c.name.as_deref(),
                        built_with,
                        function,
                        system_modules: c.system_modules,
                        home_modules: c.home_modules,
                        location: location(&c.span),
                    }
                })
                .collect(),
            inputs: o
                .inputs
                .iter()
                .map(|i| {
                    let (nixpkgs, detail) = match &i.nixpkgs {
                        NixpkgsUse::IsNixpkgs => ("is-nixpkgs", None),
                        NixpkgsUse::Follows(t) => ("follows", Some(t.as_str())),
                        NixpkgsUse::Shared => ("shared", None),
                        NixpkgsUse::Own(n) => ("own", Some(n.as_str())),
                        NixpkgsUse::NoNixpkgsInput => ("no-nixpkgs-input", None),
                        NixpkgsUse::NotFollowed => ("not-followed", None),
                    };
                    Input {
                        name: &i.name,
                        url: i.url.as_deref(),
                        nixpkgs,
                        nixpkgs_detail: detail,
                        location: location(&i.span),
                    }
                })
                .collect(),
            modules: Modules {
                system: o
                    .modules
                    .system
                    .iter()
                    .map(|d| Dir {
                        dir: &d.dir,
                        files: d.files,
                    })
                    .collect(),
                home: o
                    .modules
                    .home
                    .iter()
                    .map(|d| Dir {
                        dir: &d.dir,
                        files: d.files,
                    })
                    .collect(),
                system_total: o.modules.system_total(),
                home_total: o.modules.home_total(),
                not_followed: &o.modules.not_followed,
            },
            lock: Lock {
                state: match o.lock {
                    LockState::Missing => "missing",
                    LockState::Unreadable(_) => "unreadable",
                    LockState::Untracked => "untracked",
                    LockState::Tracked => "tracked",
                    LockState::Present => "present",
                },
                nixpkgs_nodes: o.nixpkgs_nodes,
            },
            flake_parts: o.flake_parts,
            systems: &o.systems,
        },
        done_well: r
            .done_well
            .iter()
            .map(|p| Practice {
                title: &p.title,
                detail: &p.detail,
                locations: p.spans.iter().map(location).collect(),
            })
            .collect(),
        findings: r
            .findings
            .iter()
            .map(|f| Finding {
                id: f.rule.id(),
                rule: f.rule.name(),
                severity: f.severity().as_str(),
                title: f.rule.title(),
                message: &f.message,
                explanation: f.rule.explanation(),
                codemod: f.codemod,
                codemod_available: f.codemod.is_some_and(codemod_available),
                fix: super::text::fix_line(r, f),
                locations: f.spans.iter().map(location).collect(),
            })
            .collect(),
        recommendations: r
            .recommendations()
            .into_iter()
            .map(|rec| Recommendation {
                id: rec.rule.id(),
                action: rec.action,
                findings: rec.findings,
                command: rec.command,
                codemod_available: rec.available,
                trial: rec.trial.as_ref().map(trial_json),
                manual_fix: rec.rule.manual_fix(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Output(format!("cannot serialise the review as JSON: {e}")))
}
