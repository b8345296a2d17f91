//! `flake-refactor review`: the architecture review of a flake, automated.
//!
//! [`review`] loads `flake.nix` with the engine's model ([`Flake`]), finds
//! its configurations and their builder helpers, follows their module
//! graphs (files parsed in parallel, [`crate::modules::follow_cached`]), reads
//! `flake.lock` ([`crate::lock`]) and git's index, and produces a [`Report`]:
//! an [`Overview`], what is done well ([`Practice`]), and [`Finding`]s, each
//! tied to a [`Rule`] with a stable id and, where one exists or is planned,
//! the codemod that fixes it. [`render`] turns a report into text,
//! Markdown, JSON or SARIF.
//!
//! Only a `flake.nix` that cannot be read or parsed is an error. Everything
//! else the analysis cannot follow (a module from an input, a generated host,
//! an interpolated path) yields fewer findings, and a module file that does
//! not parse is itself a finding.

mod context;
mod findings;
mod overview;
pub mod render;
mod rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rnix::TextRange;

use crate::error::Error;
use crate::flake::Flake;
use crate::syntax::LineIndex;
use crate::workspace::Workspace;

pub use overview::{
    BuiltWith, ConfigurationInfo, DirectoryCount, InputInfo, LockState, ModuleSummary, NixpkgsUse,
    Overview, Practice,
};
pub use rules::{Rule, Severity};

/// Thresholds and naming for a review.
#[derive(Debug, Clone)]
pub struct Options {
    /// FR001: flake.nix longer than this many lines is monolithic.
    pub max_lines: usize,
    /// FR009: blocks shorter than this many lines are not reported as repeated.
    pub min_duplicate_lines: usize,
    /// The flake directory as the user named it (`--flake DIR`), used in the
    /// commands the report suggests; `None` or `.` for the current directory.
    pub flake_arg: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_lines: 200,
            min_duplicate_lines: 5,
            flake_arg: None,
        }
    }
}

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// A region of a file: `start` up to `end` (exclusive, as in SARIF and
/// LSP), with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Repository-relative path.
    pub file: PathBuf,
    /// First character.
    pub start: Position,
    /// Position just after the last character.
    pub end: Position,
    /// What this place is, for secondary spans ("mkSystem: used by builder").
    pub label: Option<String>,
}

impl Span {
    /// The span of `range` in `file`.
    pub fn of(file: &Path, lines: &LineIndex, range: TextRange) -> Span {
        let (sl, sc) = lines.line_col(range.start());
        let (el, ec) = lines.line_col(range.end());
        Span {
            file: file.to_path_buf(),
            start: Position { line: sl, col: sc },
            end: Position { line: el, col: ec },
            label: None,
        }
    }

    /// A span of one position (start = end).
    pub fn at(file: &Path, line: usize, col: usize) -> Span {
        let p = Position { line, col };
        Span {
            file: file.to_path_buf(),
            start: p,
            end: p,
            label: None,
        }
    }

    /// This span with a label.
    pub fn labelled(mut self, label: impl Into<String>) -> Span {
        self.label = Some(label.into());
        self
    }

    /// `file:line:col`.
    pub fn start_string(&self) -> String {
        format!(
            "{}:{}:{}",
            self.file.display(),
            self.start.line,
            self.start.col
        )
    }

    /// `file:line:col-line:col`.
    pub fn range_string(&self) -> String {
        format!("{}-{}:{}", self.start_string(), self.end.line, self.end.col)
    }
}

/// One problem found.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule it breaks.
    pub rule: Rule,
    /// What was found, specifically (one sentence).
    pub message: String,
    /// Every place involved; the first is the primary location.
    pub spans: Vec<Span>,
    /// The codemod that fixes it, when one is planned or available.
    pub codemod: Option<&'static str>,
    /// Its severity: the rule's, or lower where the rule says why (FR007
    /// on a nixpkgs pinned on purpose is `info`).
    pub severity: Severity,
    /// How to fix it by hand, where this finding needs other advice than
    /// its rule's [`Rule::manual_fix`] (FR005 on a flake already on
    /// flake-parts).
    pub by_hand: Option<String>,
    /// What to do, where this finding needs another imperative than its
    /// rule's [`Rule::action`].
    pub action: Option<&'static str>,
}

impl Finding {
    fn new(rule: Rule, message: impl Into<String>, spans: Vec<Span>) -> Finding {
        Finding {
            rule,
            message: message.into(),
            spans,
            codemod: rule.codemod(),
            severity: rule.severity(),
            by_hand: None,
            action: None,
        }
    }

    /// This finding with its own advice for a fix by hand (no codemod).
    fn by_hand(mut self, advice: impl Into<String>) -> Finding {
        self.by_hand = Some(advice.into());
        self.codemod = None;
        self
    }

    /// This finding with its own imperative for the recommendations.
    fn with_action(mut self, action: &'static str) -> Finding {
        self.action = Some(action);
        self
    }

    /// How to fix it by hand: the finding's own advice, else the rule's.
    pub fn manual_fix(&self) -> &str {
        self.by_hand.as_deref().unwrap_or(self.rule.manual_fix())
    }

    /// This finding at severity `severity`.
    fn at(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// This finding without a codemod (where the rule's codemod would do
    /// nothing with default options).
    fn without_codemod(mut self) -> Finding {
        self.codemod = None;
        self
    }

    /// The finding's severity (its rule's, unless the finding lowers it).
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The primary location.
    pub fn primary(&self) -> Option<&Span> {
        self.spans.first()
    }
}

/// Whether a codemod of that name exists in this version (or is only planned).
pub fn codemod_available(name: &str) -> bool {
    crate::codemods::find(name).is_some()
}

/// What an available codemod would do to this flake now: the review runs it
/// in memory (nothing is written), with default options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trial {
    /// It would create or change this many files.
    Changes(usize),
    /// It finds nothing to do.
    NothingToDo,
    /// It changes nothing, and says why it leaves something as it is (its
    /// first note).
    LeavesAsIs(String),
    /// It refuses; the first line of its reason.
    Refuses(String),
}

/// Run every available codemod named by `findings` on a snapshot of `ws`.
fn trials(
    ws: &Workspace,
    flake_path: &Path,
    findings: &[Finding],
) -> BTreeMap<&'static str, Trial> {
    let mut out = BTreeMap::new();
    for name in findings.iter().filter_map(|f| f.codemod) {
        if out.contains_key(name) {
            continue;
        }
        let Some(codemod) = crate::codemods::find(name) else {
            continue;
        };
        let mut trial_ws = ws.snapshot();
        let trial = match crate::engine::run(
            &mut trial_ws,
            flake_path,
            &[codemod],
            &crate::codemods::Options::default(),
        ) {
            Ok(o) if o.is_empty() => match o.notes.first() {
                Some((_, n)) => Trial::LeavesAsIs(n.message.clone()),
                None => Trial::NothingToDo,
            },
            Ok(o) => Trial::Changes(o.changes.len()),
            Err(e) => {
                // The reason itself, without the location and the codemod's name.
                let text = match &e {
                    Error::Refused { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                let first = text.lines().next().unwrap_or_default();
                Trial::Refuses(first.trim_end_matches(':').to_string())
            }
        };
        out.insert(name, trial);
    }
    out
}

/// One recommendation: a rule's findings and the command that fixes them.
#[derive(Debug, Clone)]
pub struct Recommendation {
    /// The rule.
    pub rule: Rule,
    /// What to do, as an imperative: the rule's [`Rule::action`], or its
    /// first finding's own.
    pub action: &'static str,
    /// Indexes into [`Report::findings`].
    pub findings: Vec<usize>,
    /// `flake-refactor apply <codemod> [--flake DIR]`, when a codemod is named.
    pub command: Option<String>,
    /// Whether that codemod exists in this version.
    pub available: bool,
    /// What that codemod would do now, when it is available.
    pub trial: Option<Trial>,
}

/// The result of a review.
#[derive(Debug, Clone)]
pub struct Report {
    /// flake.nix, relative to the repository root.
    pub flake: PathBuf,
    /// How the user named the flake directory (for commands).
    pub flake_arg: Option<String>,
    /// The flake at a glance.
    pub overview: Overview,
    /// Good practices detected.
    pub done_well: Vec<Practice>,
    /// Findings, sorted by primary location, then rule.
    pub findings: Vec<Finding>,
    /// What each available codemod named by a finding would do now.
    pub trials: BTreeMap<&'static str, Trial>,
}

/// The threshold of `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors (the default).
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl Report {
    /// How many findings of each severity: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.findings.iter().filter(|f| f.severity() == s).count();
        (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
    }

    /// Whether a finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        let threshold = match fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Never => return false,
        };
        self.findings.iter().any(|f| f.severity() >= threshold)
    }

    /// This report with every file path passed through `f` (e.g. to show
    /// paths relative to the current directory instead of the repository
    /// root).
    pub fn map_paths(&self, f: impl Fn(&Path) -> PathBuf) -> Report {
        let mut r = self.clone();
        let mut span = |s: &mut Span| s.file = f(&s.file);
        r.findings
            .iter_mut()
            .flat_map(|x| &mut x.spans)
            .for_each(&mut span);
        r.done_well
            .iter_mut()
            .flat_map(|x| &mut x.spans)
            .for_each(&mut span);
        r.overview
            .configurations
            .iter_mut()
            .for_each(|c| span(&mut c.span));
        r.overview.inputs.iter_mut().for_each(|i| span(&mut i.span));
        r.flake = f(&self.flake);
        r
    }

    /// `flake-refactor apply <codemods> [--flake DIR]`.
    pub fn apply_command(&self, codemods: &[&str]) -> String {
        let mut cmd = format!("flake-refactor apply {}", codemods.join(" "));
        if let Some(arg) = self
            .flake_arg
            .as_deref()
            .filter(|a| *a != "." && *a != "./")
        {
            cmd.push_str(" --flake ");
            cmd.push_str(&shell_word(arg));
        }
        cmd
    }

    /// The findings grouped by rule, in priority order ([`Rule::priority`]).
    pub fn recommendations(&self) -> Vec<Recommendation> {
        let mut rules: Vec<Rule> = self.findings.iter().map(|f| f.rule).collect();
        rules.sort_by_key(|r| r.priority());
        rules.dedup();
        rules
            .into_iter()
            .map(|rule| {
                let findings: Vec<usize> = self
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.rule == rule)
                    .map(|(i, _)| i)
                    .collect();
                let codemod = findings.iter().find_map(|&i| self.findings[i].codemod);
                Recommendation {
                    rule,
                    action: findings
                        .first()
                        .and_then(|&i| self.findings[i].action)
                        .unwrap_or(rule.action()),
                    command: codemod.map(|c| self.apply_command(&[c])),
                    available: codemod.is_some_and(codemod_available),
                    trial: codemod.and_then(|c| self.trials.get(c).cloned()),
                    findings,
                }
            })
            .collect()
    }

    /// The codemods of this version that fix something here and do not
    /// refuse, in recommendation order, as one `apply` command (they run in
    /// sequence).
    pub fn combined_command(&self) -> Option<String> {
        let mut names: Vec<&str> = Vec::new();
        for r in self.recommendations() {
            if matches!(r.trial, Some(Trial::Refuses(_))) {
                continue;
            }
            let name = r.findings.iter().find_map(|&i| self.findings[i].codemod);
            if let Some(name) = name.filter(|n| codemod_available(n)) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        (!names.is_empty()).then(|| self.apply_command(&names))
    }
}

/// Quote a word for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:=@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A report and the analysis behind it: the flake's model and every module
/// file's syntax tree.
pub struct Reviewed {
    /// The report.
    pub report: Report,
    analysis: Box<dyn std::any::Any>,
}

impl Reviewed {
    /// The report; the analysis is freed.
    pub fn into_report(self) -> Report {
        self.report
    }

    /// The report, leaving the analysis' memory to the operating system, for
    /// a process that exits right after: freeing ten thousand syntax trees
    /// one by one takes a quarter of the time parsing them took on one core
    /// (compilers skip that last free for the same reason).
    pub fn into_report_without_freeing(self) -> Report {
        std::mem::forget(self.analysis);
        self.report
    }
}

/// Review the flake at `flake_path` (relative to the workspace root, which
/// should be the repository root so that git's index can be read).
pub fn review(ws: &Workspace, flake_path: &Path, options: &Options) -> Result<Report, Error> {
    review_keeping(ws, flake_path, options).map(Reviewed::into_report)
}

/// [`review`], also returning the analysis, so that the caller decides when
/// (and whether) to free it.
pub fn review_keeping(
    ws: &Workspace,
    flake_path: &Path,
    options: &Options,
) -> Result<Reviewed, Error> {
    let flake = Flake::load(ws, flake_path)?;
    let cx = context::Cx::new(ws, flake, options);
    let mut findings = findings::all(&cx);
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            f.primary()
                .map(|s| (s.file.clone(), s.start))
                .unwrap_or_default()
        };
        key(a).cmp(&key(b)).then(a.rule.cmp(&b.rule))
    });
    let overview = overview::overview(&cx);
    let done_well = overview::done_well(&cx, &findings);
    let mut trials = trials(ws, flake_path, &findings);
    // A finding recommends a codemod only where it would do something (or
    // can say why it would refuse): one that finds nothing to do here is
    // not named.
    // One that leaves it as it is says why, beside the fix by hand.
    for f in &mut findings {
        match f.codemod.and_then(|c| trials.get(c).map(|t| (c, t))) {
            Some((_, Trial::NothingToDo)) => f.codemod = None,
            Some((c, Trial::LeavesAsIs(why))) => {
                f.by_hand = Some(format!(
                    "{} ({c} leaves it as it is: {why})",
                    f.manual_fix()
                ));
                f.codemod = None;
            }
            _ => {}
        }
    }
    trials.retain(|_, t| !matches!(t, Trial::NothingToDo | Trial::LeavesAsIs(_)));
    Ok(Reviewed {
        report: Report {
            flake: flake_path.to_path_buf(),
            flake_arg: options.flake_arg.clone(),
            overview,
            done_well,
            findings,
            trials,
        },
        analysis: cx.into_analysis(),
    })
}

/// Review the flake in directory `dir`: the repository root is found from
/// it (git), and paths in the report are relative to that root.
pub fn review_dir(dir: &Path, options: &Options) -> Result<Report, Error> {
    review_dir_keeping(dir, options).map(Reviewed::into_report)
}

/// [`review_dir`], also returning the analysis (see [`Reviewed`]).
pub fn review_dir_keeping(dir: &Path, options: &Options) -> Result<Reviewed, Error> {
    let located = crate::engine::locate(dir)?;
    let ws = Workspace::new(&located.root);
    review_keeping(&ws, &located.flake_path, options)
}

/// Paths relative to the flake's directory when they are inside it.
fn relative_to(dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_quote_the_flake_directory() {
        let mut r = Report {
            flake: "flake.nix".into(),
            flake_arg: Some("my flake".into()),
            overview: Overview::default(),
            done_well: Vec::new(),
            findings: Vec::new(),
            trials: BTreeMap::new(),
        };
        assert_eq!(
            r.apply_command(&["split-outputs"]),
            "flake-refactor apply split-outputs --flake 'my flake'"
        );
        r.flake_arg = Some(".".into());
        assert_eq!(r.apply_command(&["a", "b"]), "flake-refactor apply a b");
        assert!(!r.fails(FailOn::Info));
        assert!(r.combined_command().is_none());
    }
}
