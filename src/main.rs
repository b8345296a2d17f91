//! The `flake-refactor` command line. All logic lives in the library.

/// See Cargo.toml: review allocates many small nodes from several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum, ValueHint};

use flake_refactor::apply::{self, Mode, Request};
use flake_refactor::codemods::{self, Applicability};
use flake_refactor::engine;
use flake_refactor::output::diff::{color_enabled, ColorChoice};
use flake_refactor::output::git::Identity;
use flake_refactor::output::json;
use flake_refactor::output::term::{Level, Painter, Paths};
use flake_refactor::workspace::Workspace;
use flake_refactor::Error;

#[derive(Parser)]
#[command(
    name = "flake-refactor",
    version,
    about = "Lossless, verified refactorings of Nix flake repositories",
    long_about = "Lossless, verified refactorings of Nix flake repositories (NixOS, Home Manager, \
nix-darwin). Each codemod rewrites the syntax tree for one recommendation of an architecture \
review; every result is re-parsed, scope-checked and run twice before anything is shown or written.\n\n\
Without --flake, the flake is the nearest flake.nix in the current directory or above it, up to \
the git repository root.\n\n\
Exit codes: 0 success or nothing to do; 1 `apply --check` with changes, or `review` with a \
finding at or above --fail-on; 2 an error or a refusal (nothing was written)."
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
    Explain {
        /// The codemod to explain (`flake-refactor list` names them).
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Apply codemods (a dry run printing a unified diff unless --write, --branch or --check).
    Apply(ApplyArgs),
    /// Review the flake's architecture: findings tied to codemods, an overview, recommendations.
    Review(ReviewArgs),
    /// Print a shell completion script (e.g. `flake-refactor completions bash > /etc/bash_completion.d/flake-refactor`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, or write one page per command into a directory.
    Manpage {
        /// Print this command's page (flake-refactor-COMMAND(1)) instead of the main one.
        #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
        command: Option<String>,
        /// Write flake-refactor.1 and flake-refactor-<command>.1 into this directory instead.
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        out_dir: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// The flake: a directory holding flake.nix, or a flake.nix [default: the nearest flake.nix in . or above, up to the repository root].
    #[arg(long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    flake: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    format: ReviewFormat,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// FR001: an outputs function (in flake.nix) longer than this many lines is monolithic.
    #[arg(long, value_name = "N", default_value_t = 200)]
    max_lines: usize,
    /// FR009: repeated blocks shorter than this many lines are not reported.
    #[arg(long, value_name = "N", default_value_t = 5)]
    min_duplicate_lines: usize,
    /// Colour the text output and diagnostics (auto: only on a terminal, and not with NO_COLOR set).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
    /// The flake: a directory holding flake.nix, or a flake.nix [default: the nearest flake.nix in . or above, up to the repository root].
    #[arg(long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    flake: Option<PathBuf>,
    /// Write the files in place.
    #[arg(long, conflicts_with_all = ["branch", "check"])]
    write: bool,
    /// Commit the change onto a new branch, leaving the work tree, index and HEAD alone.
    #[arg(long, value_name = "NAME", num_args = 0..=1, conflicts_with = "check")]
    branch: Option<Option<String>>,
    /// With --branch: the commit's author, `Name <email>` (default: git config's user.name and user.email).
    #[arg(long, value_name = "NAME <EMAIL>", requires = "branch")]
    author: Option<String>,
    /// Exit 1 if the codemods would change anything (for CI).
    #[arg(long)]
    check: bool,
    /// Write even when files the change touches have uncommitted changes.
    #[arg(long)]
    allow_dirty: bool,
    /// Replace an existing branch with --branch; replace or delete read-only files with --write.
    #[arg(long)]
    force: bool,
    /// Output format: text (a diff on stdout, a summary on stderr) or json (one document on stdout, also on errors).
    #[arg(long, value_enum, default_value_t = ApplyFormat::Text)]
    format: ApplyFormat,
    /// Colour the diff and diagnostics (auto: only on a terminal, and not with NO_COLOR set).
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
    /// add-follows: these inputs (comma-separated), even when pinned or on another branch.
    #[arg(long = "input", value_name = "INPUT[,INPUT]", value_delimiter = ',')]
    inputs: Vec<String>,
    /// add-follows: also inputs other than nixpkgs that flake.lock shows duplicated (flake-utils, systems...).
    #[arg(long)]
    all_shared: bool,
    /// split-outputs: pass each input the moved code uses by name, not `inputs` (when the outputs function binds `inputs`).
    #[arg(long)]
    pass_names: bool,
    /// use-mksystem, extract-home-manager: the name of the function the codemod creates (default mkSystem / mkDarwin, mkHomeManager).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// use-mksystem: put a new helper in this file (relative to the flake), not in the outputs' `let`.
    #[arg(long, value_name = "PATH")]
    helper_file: Option<String>,
    /// use-mksystem: delete helpers nothing calls, and the bindings only they used.
    #[arg(long)]
    remove_unused: bool,
    /// flake-parts: move outputs defined on fewer systems into perSystem anyway, declaring the outputs that appear.
    #[arg(long)]
    expand_systems: bool,
    /// Evaluate the flake before and after with nix (offline) and refuse if an output changed.
    #[arg(long)]
    verify: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ApplyFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    fn choice(self) -> ColorChoice {
        match self {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        }
    }

    /// The painter for diagnostics on stderr.
    fn painter(self) -> Painter {
        Painter {
            color: color_enabled(self.choice(), std::io::stderr().is_terminal()),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && wants_apply_json() => {
            // `apply --format json` promised a document, also for bad
            // arguments: clap's message up to its usage lines.
            let text = e.render().to_string();
            let message: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = message.join(" ");
            let _ = emit(&json::render_error(Error::Usage(
                message.trim_start_matches("error: ").to_string(),
            )));
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
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
            let painter = Color::Auto.painter();
            let text = match e.downcast_ref::<Error>() {
                Some(err) => painter.error(err, &Paths::identity()),
                None => painter.diagnostic(Level::Error, None, &format!("{e:#}")),
            };
            eprint!("{text}");
            ExitCode::from(2)
        }
    }
}

/// Whether the command line asks for `apply --format json`, looked at
/// before clap has accepted it.
fn wants_apply_json() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let apply = args.first().is_some_and(|a| a == "apply");
    let json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    apply && json
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
            let c = apply::find(&name)?;
            emit(c.docs())?;
            Ok(0)
        }
        Command::Apply(args) => apply_cmd(args),
        Command::Review(args) => review_cmd(args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "flake-refactor", &mut buf);
            emit(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Manpage { command, out_dir } => {
            let mut cmd = Cli::command();
            if let Some(dir) = out_dir {
                std::fs::create_dir_all(&dir)?;
                clap_mangen::generate_to(cmd, &dir)?;
                eprintln!("wrote the man pages into {}", dir.display());
                return Ok(0);
            }
            if let Some(name) = command {
                cmd.build();
                let sub = cmd
                    .find_subcommand(&name)
                    .filter(|_| name != "help")
                    .cloned()
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "no command `{name}`; `flake-refactor --help` lists them"
                        ))
                    })?;
                // clap names are static strings; the process ends right after.
                let page: &'static str = format!("flake-refactor-{name}").leak();
                cmd = sub
                    .name(page)
                    .bin_name(format!("flake-refactor {name}"))
                    .version(env!("CARGO_PKG_VERSION"));
            }
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            emit(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
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

/// Print to stderr, ignoring a closed stream.
fn emit_err(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

fn current_dir() -> anyhow::Result<PathBuf> {
    Ok(std::env::current_dir()?)
}

fn apply_cmd(args: ApplyArgs) -> anyhow::Result<u8> {
    let json = args.format == ApplyFormat::Json;
    let painter = args.color.painter();
    let author = match args.author.as_deref().map(Identity::parse).transpose() {
        Ok(a) => a,
        Err(e) if json => {
            emit(&json::render_error(e))?;
            return Ok(2);
        }
        Err(e) => return Err(e.into()),
    };
    let mode = if let Some(name) = &args.branch {
        Mode::Branch {
            name: name.clone(),
            force: args.force,
            author,
        }
    } else if args.write {
        Mode::Write {
            allow_dirty: args.allow_dirty,
            force: args.force,
        }
    } else if args.check {
        Mode::Check
    } else {
        Mode::DryRun
    };
    let req = Request {
        codemods: args.codemods,
        flake: args.flake,
        only: args.only,
        to: args.to,
        allow_breaking: args.allow_breaking,
        inputs: args.inputs,
        all_shared: args.all_shared,
        pass_names: args.pass_names,
        name: args.name,
        helper_file: args.helper_file,
        remove_unused: args.remove_unused,
        expand_systems: args.expand_systems,
        verify: args.verify,
        mode,
    };
    let cwd = current_dir()?;
    let applied = apply::run(&req, &cwd);
    let paths = applied
        .located
        .as_ref()
        .map(|l| Paths::new(&l.root, &cwd))
        .unwrap_or_else(Paths::identity);
    if json {
        if let Some(l) = applied.located.as_ref().filter(|l| l.found_above) {
            emit_err(&painter.diagnostic(
                Level::Note,
                None,
                &format!("using {}", paths.display(&l.flake_path)),
            ));
        }
        emit(&json::render(&req, &applied))?;
        if let Some(e) = &applied.error {
            emit_err(&painter.error(e, &paths));
        }
    } else {
        let diff_color = color_enabled(args.color.choice(), std::io::stdout().is_terminal());
        let (out, err) = apply::render_text(&req, &applied, &paths, painter, diff_color);
        emit_err(&err);
        emit(&out)?;
    }
    Ok(applied.exit_code(&req.mode))
}

fn review_cmd(args: ReviewArgs) -> anyhow::Result<u8> {
    use flake_refactor::review::{self, render};
    let format = match args.format {
        ReviewFormat::Text => render::Format::Text,
        ReviewFormat::Markdown => render::Format::Markdown,
        ReviewFormat::Json => render::Format::Json,
        ReviewFormat::Sarif => render::Format::Sarif,
    };
    let painter = args.color.painter();
    let options = review::Options {
        max_lines: args.max_lines,
        min_duplicate_lines: args.min_duplicate_lines,
        flake_arg: args.flake.as_ref().map(|f| f.display().to_string()),
    };
    let cwd = current_dir()?;
    let located = match engine::locate_from(args.flake.as_deref(), &cwd) {
        Ok(l) => l,
        Err(e) => return review_failed(&e, None, format, painter, &Paths::identity()),
    };
    let paths = Paths::new(&located.root, &cwd);
    if located.found_above {
        emit_err(&painter.diagnostic(
            Level::Note,
            None,
            &format!("using {}", paths.display(&located.flake_path)),
        ));
    }
    // Finish or roll back what an interrupted `--write` left behind.
    for message in flake_refactor::output::journal::recover(&located.root)? {
        emit_err(&format!("{message}\n"));
    }
    let ws = Workspace::new(&located.root);
    let report = match review::review_keeping(&ws, &located.flake_path, &options) {
        // The process exits right after printing: leave the syntax trees to the OS.
        Ok(r) => r.into_report_without_freeing(),
        Err(e) => return review_failed(&e, Some(&located), format, painter, &paths),
    };
    let render_options = render::RenderOptions {
        root: Some(located.root.clone()),
        color: color_enabled(args.color.choice(), std::io::stdout().is_terminal()),
    };
    let text = match format {
        render::Format::Text => render::render_with(
            &report.map_paths(|p| paths.show(p)),
            format,
            &render_options,
        )?,
        _ => render::render_with(&report, format, &render_options)?,
    };
    emit(&text)?;
    let fail_on = match args.fail_on {
        FailOn::Error => review::FailOn::Error,
        FailOn::Warning => review::FailOn::Warning,
        FailOn::Info => review::FailOn::Info,
        FailOn::Never => review::FailOn::Never,
    };
    Ok(u8::from(report.fails(fail_on)))
}

/// A review that could not run: the machine formats still print a valid
/// document on stdout; the error goes to stderr; exit 2.
fn review_failed(
    e: &Error,
    located: Option<&engine::Located>,
    format: flake_refactor::review::render::Format,
    painter: Painter,
    paths: &Paths,
) -> anyhow::Result<u8> {
    use flake_refactor::review::render;
    if let Some(doc) = render::render_error(
        e,
        format,
        located.map(|l| l.flake_path.as_path()),
        located.map(|l| l.root.as_path()),
    ) {
        emit(&doc?)?;
    }
    emit_err(&painter.error(e, paths));
    Ok(2)
}
