//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers. Built
//! with the `serde-sarif` types; every rule is listed in the driver, and
//! each result points at its primary location, with the other places as
//! related locations. Columns count Unicode code points (`columnKind`), and
//! region ends are exclusive, as SARIF specifies.

use std::collections::BTreeMap;
use std::path::Path;

use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::error::Error;
use crate::review::{Report, Rule, Severity, Span};

/// The SARIF 2.1.0 JSON schema.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn location_of(s: &Span, id: Option<i64>) -> Location {
    let uri = s.file.to_string_lossy().replace('\\', "/");
    let region = Region::builder()
        .start_line(s.start.line as i64)
        .start_column(s.start.col as i64)
        .end_line(s.end.line as i64)
        .end_column(s.end.col as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri)
                .uri_base_id("%SRCROOT%")
                .build(),
        )
        .region(region)
        .build();
    match (id, &s.label) {
        (Some(id), Some(label)) => Location::builder()
            .id(id)
            .physical_location(physical)
            .message(Message::builder().text(label.clone()).build())
            .build(),
        (Some(id), None) => Location::builder()
            .id(id)
            .physical_location(physical)
            .build(),
        (None, Some(label)) => Location::builder()
            .physical_location(physical)
            .message(Message::builder().text(label.clone()).build())
            .build(),
        (None, None) => Location::builder().physical_location(physical).build(),
    }
}

fn rule(r: Rule) -> ReportingDescriptor {
    let help = match r.codemod() {
        Some(c) => format!(
            "Fix: `flake-refactor apply {c}`{}. By hand: {}",
            if crate::review::codemod_available(c) {
                ""
            } else {
                " (planned codemod)"
            },
            r.manual_fix()
        ),
        None => format!("By hand: {}", r.manual_fix()),
    };
    ReportingDescriptor::builder()
        .id(r.id())
        .name(r.name())
        .short_description(MultiformatMessageString::builder().text(r.title()).build())
        .full_description(
            MultiformatMessageString::builder()
                .text(r.explanation())
                .build(),
        )
        .help(MultiformatMessageString::builder().text(help).build())
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from(match r.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                }))
                .build(),
        )
        .build()
}

/// `%SRCROOT%`, the base of every `uri`, as a `file:` URI of `root`.
fn base_ids(root: &Path) -> BTreeMap<String, ArtifactLocation> {
    let mut uri = String::from("file://");
    let text = root.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for c in text.chars() {
        match c {
            ' ' => uri.push_str("%20"),
            '%' => uri.push_str("%25"),
            '#' => uri.push_str("%23"),
            '?' => uri.push_str("%3F"),
            c => uri.push(c),
        }
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    BTreeMap::from([(
        "%SRCROOT%".to_string(),
        ArtifactLocation::builder().uri(uri).build(),
    )])
}

fn driver(rules: Vec<ReportingDescriptor>) -> ToolComponent {
    ToolComponent::builder()
        .name("flake-refactor")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build()
}

fn serialise(log: &Sarif) -> Result<String, Error> {
    serde_json::to_string_pretty(log)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Output(format!("cannot serialise the review as SARIF: {e}")))
}

/// A SARIF log for a review that could not run: no results, and one
/// invocation with `executionSuccessful: false` whose tool execution
/// notification carries the error (at its place, when it has one).
pub(super) fn render_error(err: &Error, root: Option<&Path>) -> Result<String, Error> {
    let (location, message) = crate::output::term::split_error(err);
    let text = match &location {
        Some(l) => format!("{l}: {message}"),
        None => message,
    };
    let notification = Notification::builder()
        .level(serde_json::Value::from("error"))
        .message(Message::builder().text(text).build());
    let notification = match &location {
        Some(l) => {
            let span = Span::at(&l.file, l.line, l.col);
            notification
                .locations(vec![location_of(&span, None)])
                .build()
        }
        None => notification.build(),
    };
    let invocation = Invocation::builder()
        .execution_successful(false)
        .tool_execution_notifications(vec![notification])
        .build();
    let run = Run::builder()
        .tool(
            Tool::builder()
                .driver(driver(Rule::ALL.iter().map(|&x| rule(x)).collect()))
                .build(),
        )
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .invocations(vec![invocation])
        .results(Vec::new());
    let run = match root {
        Some(root) => run.original_uri_base_ids(base_ids(root)).build(),
        None => run.build(),
    };
    serialise(
        &Sarif::builder()
            .schema(SCHEMA)
            .version(serde_json::Value::from("2.1.0"))
            .runs(vec![run])
            .build(),
    )
}

pub(super) fn render(r: &Report, root: Option<&Path>) -> Result<String, Error> {
    let rules: Vec<ReportingDescriptor> = Rule::ALL.iter().map(|&x| rule(x)).collect();
    let results: Vec<SarifResult> = r
        .findings
        .iter()
        .map(|f| {
            let rule_index = Rule::ALL.iter().position(|x| *x == f.rule).unwrap_or(0) as i64;
            let mut text = f.message.clone();
            text.push_str(". Fix: ");
            text.push_str(&super::text::fix_line(r, f));
            // The primary location carries its label as its message; the
            // other places are related locations.
            let primary: Vec<Location> = f
                .primary()
                .map(|s| location_of(s, None))
                .into_iter()
                .collect();
            let related: Vec<Location> = f
                .spans
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, s)| location_of(s, Some(i as i64)))
                .collect();
            let result = SarifResult::builder()
                .rule_id(f.rule.id())
                .rule_index(rule_index)
                .level(level(f.severity()))
                .message(Message::builder().text(text).build())
                .locations(primary);
            if related.is_empty() {
                result.build()
            } else {
                result.related_locations(related).build()
            }
        })
        .collect();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver(rules)).build())
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .results(results);
    let run = match root {
        Some(root) => run.original_uri_base_ids(base_ids(root)).build(),
        None => run.build(),
    };
    serialise(
        &Sarif::builder()
            .schema(SCHEMA)
            .version(serde_json::Value::from("2.1.0"))
            .runs(vec![run])
            .build(),
    )
}
