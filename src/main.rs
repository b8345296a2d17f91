//! The `flake-refactor` command line. All logic lives in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Parser, Subcommand, ValueEnum};

use flake_refactor::codemods::{self, Applicability, Codemod, Options};
use flake_refactor::engine;
use flake_refactor::evaluate;
use flake_refactor::output::{self, diff::ColorChoice};
use flake_refactor::workspace::Workspace;
use flake_refactor::Error;

#[derive(Parser)]
#[command(
    name = "flake-refactor",
    version,
    about = "Lossless, verified refactorings of Nix flake repositories"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the codemods, one line each.
    List,
    /// Show what a codemod does, when it refuses and what it may change.
    Explain { name: String },
    /// Apply codemods (a dry run printing a unified diff unless --write, --branch or --check).
    Apply(ApplyArgs),
    /// Review the flake's architecture: findings tied to codemods, an overview, recommendations.
    Review(ReviewArgs),
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// The directory that holds flake.nix (the repository root is found from it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    flake: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    format: ReviewFormat,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// FR001: flake.nix longer than this is monolithic.
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_lines: usize,
    /// FR009: repeated blocks shorter than this many lines are not reported.
    #[arg(long, value_name = "N", default_value_t = 5)]
    min_duplicate_lines: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReviewFormat {
    Text,
    Markdown,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(clap::Args)]
struct ApplyArgs {
    /// Codemods to run, in order; each runs on the previous one's result.
    #[arg(required = true, value_name = "CODEMOD")]
    codemods: Vec<String>,
    /// The directory that holds flake.nix (the repository root is found from it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    flake: PathBuf,
    /// Write the files in place.
    #[arg(long, conflicts_with_all = ["branch", "check"])]
    write: bool,
    /// Commit the change onto a new branch, leaving the work tree, index and HEAD alone.
    #[arg(long, value_name = "NAME", num_args = 0..=1, conflicts_with = "check")]
    branch: Option<Option<String>>,
    /// Exit 1 if the codemods would change anything (for CI).
    #[arg(long)]
    check: bool,
    /// Write even when files the change touches have uncommitted changes.
    #[arg(long)]
    allow_dirty: bool,
    /// Replace an existing branch with --branch; replace or delete read-only files with --write.
    #[arg(long)]
    force: bool,
    /// Colour the diff.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// split-outputs: only these outputs (comma-separated).
    #[arg(long, value_name = "OUT[,OUT]", value_delimiter = ',')]
    only: Vec<String>,
    /// split-outputs: put output OUT into DIR/default.nix.
    #[arg(long, value_name = "OUT=DIR")]
    to: Vec<String>,
    /// Apply even where the codemod found readers that would break.
    #[arg(long)]
    allow_breaking: bool,
    /// Evaluate the flake before and after with nix (offline) and refuse if an output changed.
    #[arg(long)]
    verify: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Analyses recurse over the syntax tree; give them room for deeply nested input.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || run(cli));
    let result = match worker.map(|h| h.join()) {
        Ok(Ok(r)) => r,
        _ => Err(anyhow::anyhow!("internal error: the worker thread failed")),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            match e.downcast_ref::<Error>() {
                Some(Error::Interrupted(sig)) => {
                    eprintln!("{e}");
                    // The shell's convention for a death by signal.
                    return ExitCode::from(128u8.saturating_add(*sig as u8));
                }
                Some(err) => eprintln!("{err}"),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::List => {
            let width = codemods::ALL
                .iter()
                .map(|c| c.name().len())
                .max()
                .unwrap_or(0);
            for c in codemods::ALL {
                let unsafe_mark = match c.applicability() {
                    Applicability::Safe => "",
                    Applicability::Unsafe => " (unsafe: declares semantic changes)",
                };
                emit(&format!(
                    "{:width$}  {}{unsafe_mark}\n",
                    c.name(),
                    c.summary()
                ))?;
            }
            Ok(0)
        }
        Command::Explain { name } => {
            let c = find(&name)?;
            emit(c.docs())?;
            Ok(0)
        }
        Command::Apply(args) => apply(args),
        Command::Review(args) => review_cmd(args),
    }
}

/// Print to stdout; a reader that went away (`| head`) ends the output quietly.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn find(name: &str) -> anyhow::Result<&'static dyn Codemod> {
    codemods::find(name).ok_or_else(|| {
        let names: Vec<_> = codemods::ALL.iter().map(|c| c.name()).collect();
        anyhow::Error::new(Error::Usage(format!(
            "unknown codemod `{name}`; known: {}",
            names.join(", ")
        )))
    })
}

fn apply(args: ApplyArgs) -> anyhow::Result<u8> {
    let selected = args
        .codemods
        .iter()
        .map(|n| find(n))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = Options {
        only: args.only.clone(),
        to: args
            .to
            .iter()
            .map(|t| Options::parse_to(t))
            .collect::<Result<_, _>>()?,
        allow_breaking: args.allow_breaking,
    };

    let engine::Located {
        root,
        flake_path,
        in_git,
    } = engine::locate(&args.flake)?;
    recover(&root)?;

    let mut ws = Workspace::new(&root);
    let outcome = engine::run(&mut ws, &flake_path, &selected, &options)?;
    let mut err = std::io::stderr().lock();
    write!(err, "{}", output::report::notes(&outcome))?;
    if outcome.is_empty() {
        writeln!(
            err,
            "nothing to do: {} would change nothing",
            args.codemods.join(", ")
        )?;
        return Ok(0);
    }

    let verification = if args.verify {
        let report = evaluate::verify(
            &root,
            &flake_path,
            &outcome.changes,
            &outcome.declared_changes,
        )?;
        let table = report.render();
        write!(err, "{table}")?;
        if report.has_unexpected_changes() {
            bail!(Error::Verify(report.refusal()));
        }
        Some(table)
    } else {
        None
    };

    if let Some(branch) = &args.branch {
        let name = branch
            .clone()
            .unwrap_or_else(|| format!("flake-refactor/{}", args.codemods.join("+")));
        if !in_git {
            bail!(Error::Output(format!(
                "--branch needs a git repository; {} is not in one",
                args.flake.display()
            )));
        }
        let paths: Vec<PathBuf> = outcome.changes.iter().map(|c| c.path.clone()).collect();
        let dirty = output::git::dirty_paths(&root, &paths)?;
        if !dirty.is_empty() {
            bail!(Error::Output(format!(
                "refusing to commit: these files have uncommitted changes and the branch is built from HEAD: {}",
                dirty.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        let message = output::report::commit_message_verified(
            &args.codemods,
            &outcome,
            verification.as_deref(),
        );
        let report = output::git::commit_to_branch(
            &root,
            &output::git::BranchRequest {
                name: &name,
                force: args.force,
                message: &message,
                changes: &outcome.changes,
            },
        )?;
        write!(err, "{}", output::report::summary(&outcome))?;
        writeln!(
            err,
            "committed {} onto branch {} (work tree, index and HEAD untouched)",
            &report.commit[..12.min(report.commit.len())],
            report.branch
        )?;
        return Ok(0);
    }

    if args.write {
        let report = output::write::write_changes(
            &root,
            &outcome.changes,
            output::write::WriteOptions {
                allow_dirty: args.allow_dirty,
                force: args.force,
            },
        )?;
        write!(err, "{}", output::report::summary(&outcome))?;
        if !in_git {
            writeln!(
                err,
                "wrote {} file(s) (not a git repository: no dirty-tree check was possible)",
                report.written.len()
            )?;
        } else {
            writeln!(err, "wrote {} file(s)", report.written.len())?;
        }
        if !report.intent_to_add.is_empty() {
            writeln!(
                err,
                "added to the git index as intent-to-add (like `git add -N`), so the flake can see them: {}",
                report.intent_to_add.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )?;
        }
        return Ok(0);
    }

    let color = output::diff::color_enabled(
        match args.color {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        },
        std::io::stdout().is_terminal(),
    );
    emit(&output::diff::unified_diff(&outcome.changes, color))?;
    write!(err, "{}", output::report::summary(&outcome))?;
    Ok(if args.check { 1 } else { 0 })
}

/// Roll back what an interrupted `--write` left behind, saying so.
fn recover(root: &std::path::Path) -> anyhow::Result<()> {
    for message in output::journal::recover(root)? {
        eprintln!("{message}");
    }
    Ok(())
}

fn review_cmd(args: ReviewArgs) -> anyhow::Result<u8> {
    use flake_refactor::review::{self, render};
    if let Ok(located) = engine::locate(&args.flake) {
        recover(&located.root)?;
    }
    let options = review::Options {
        max_lines: args.max_lines,
        min_duplicate_lines: args.min_duplicate_lines,
        flake_arg: Some(args.flake.display().to_string()),
    };
    // The process exits right after printing: leave the syntax trees to the OS.
    let report = review::review_dir_keeping(&args.flake, &options)?.into_report_without_freeing();
    let format = match args.format {
        ReviewFormat::Text => render::Format::Text,
        ReviewFormat::Markdown => render::Format::Markdown,
        ReviewFormat::Json => render::Format::Json,
        ReviewFormat::Sarif => render::Format::Sarif,
    };
    emit(&render::render(&report, format)?)?;
    let fail_on = match args.fail_on {
        FailOn::Error => review::FailOn::Error,
        FailOn::Warning => review::FailOn::Warning,
        FailOn::Info => review::FailOn::Info,
        FailOn::Never => review::FailOn::Never,
    };
    Ok(u8::from(report.fails(fail_on)))
}
