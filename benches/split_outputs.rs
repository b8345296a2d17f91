//! Benchmark: `split-outputs` on synthetic flakes with 10, 100 and 1000 hosts.
//!
//! Run with `cargo bench --bench split_outputs`. For each size it measures
//!
//! 1. **parse**: reading and parsing every `.nix` file of the tree with rnix,
//!    in-process, on one thread (the floor any tool that reads the flake pays);
//! 2. **apply**: the whole `flake-refactor apply split-outputs --flake DIR
//!    --color never` run (a dry run; the diff goes to /dev/null), as a
//!    subprocess of the release binary: start-up, loading, the codemod,
//!    re-parsing, every post-check including the idempotence re-run, and the
//!    diff.
//!
//! Wall time is the median of [`RUNS`] runs after one warm-up run. Peak memory
//! is the maximum resident set size: for parse, a re-run of this executable in
//! "parse mode" reads its own `VmHWM` from `/proc/self/status`; for apply,
//! `/usr/bin/time -f %M` when it exists, else `VmHWM` of `/proc/<pid>/status`
//! polled until the tool exits.
//!
//! It also times the library's phases in-process (`Flake::load`, the
//! codemod's `apply`, the whole `engine::run`, the unified diff) to show
//! where apply's time goes,
//! and checks that apply scales linearly: apply(1000 hosts) / apply(100 hosts)
//! must be at most 12 (printed as PASS or FAIL; the benchmark never panics on it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flake_refactor::codemods::{self, Context, Options};
use flake_refactor::engine;
use flake_refactor::flake::Flake;
use flake_refactor::output;
use flake_refactor::syntax::format;
use flake_refactor::workspace::Workspace;

/// Set in a child re-run of this executable: `parse` or `idle`.
const MODE_ENV: &str = "FLAKE_REFACTOR_BENCH_MODE";
/// The tree a `parse` child parses.
const DIR_ENV: &str = "FLAKE_REFACTOR_BENCH_DIR";
/// Timed runs per measurement (the median is reported).
const RUNS: usize = 5;
/// Host counts (`FLAKE_REFACTOR_BENCH_SIZES=10,100,1000,3000` overrides them).
const SIZES: [usize; 3] = [10, 100, 1000];
/// Set to a directory to keep the generated flakes there (for profiling).
const KEEP_ENV: &str = "FLAKE_REFACTOR_BENCH_KEEP";
/// Largest accepted apply(1000) / apply(100).
const MAX_LINEAR_RATIO: f64 = 12.0;

fn main() {
    if let Ok(mode) = std::env::var(MODE_ENV) {
        child(&mode);
        return;
    }
    let tool = tool_binary();
    println!("split-outputs benchmark");
    println!("tool: {}", tool.display());
    println!("machine: {}", machine());
    println!("runs per measurement: {RUNS} (median), after one warm-up run");
    println!();

    let idle = parse_child(None);
    let startup = measure_tool(&tool, &["list"]);
    println!(
        "baselines: this executable idle: {:.1} MiB; `flake-refactor list`: {:.1} ms, {:.1} MiB",
        mib(idle.peak_kib),
        ms(startup.time),
        mib(startup.peak_kib)
    );
    println!();

    let sizes: Vec<usize> = match std::env::var("FLAKE_REFACTOR_BENCH_SIZES") {
        Ok(v) => v
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .expect("FLAKE_REFACTOR_BENCH_SIZES: numbers")
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    };
    let mut rows = Vec::new();
    for n in sizes {
        let tmp = tempfile::tempdir().expect("create a temporary directory");
        let (files, bytes) = generate(tmp.path(), n);
        if let Some(keep) = std::env::var_os(KEEP_ENV) {
            let dest = Path::new(&keep).join(format!("hosts-{n}"));
            let _ = std::fs::remove_dir_all(&dest);
            copy_tree(tmp.path(), &dest);
            println!("kept the {n}-host flake in {}", dest.display());
        }
        let parse = measure_parse(tmp.path());
        let apply = measure_tool(
            &tool,
            &[
                "apply",
                "split-outputs",
                "--flake",
                tmp.path().to_str().expect("UTF-8 temporary path"),
                "--color",
                "never",
            ],
        );
        let phases = in_process_phases(tmp.path());
        // The same tree with every `.nix` file nixfmt-clean: the engine then
        // formats what split-outputs changes and creates.
        let clean = tempfile::tempdir().expect("create a temporary directory");
        copy_tree(tmp.path(), clean.path());
        for f in nix_files(clean.path()) {
            let text = std::fs::read_to_string(&f).expect("read");
            let formatted = format::format(&text).expect("nixfmt parses the generated flake");
            std::fs::write(&f, formatted).expect("write");
        }
        let apply_clean = measure_tool(
            &tool,
            &[
                "apply",
                "split-outputs",
                "--flake",
                clean.path().to_str().expect("UTF-8 temporary path"),
                "--color",
                "never",
            ],
        );
        let fmt = Formatting {
            unclean: formatting_time(tmp.path()),
            clean: formatting_time(clean.path()),
            apply_clean,
        };
        rows.push(Row {
            n,
            files,
            bytes,
            parse,
            apply,
            phases,
            fmt,
        });
    }

    println!(
        "{:>5} {:>6} {:>9} {:>9} {:>9} {:>12} {:>10} {:>10}",
        "N", "files", "bytes", "parse ms", "apply ms", "apply/parse", "parse MiB", "apply MiB"
    );
    for r in &rows {
        println!(
            "{:>5} {:>6} {:>9} {:>9.2} {:>9.2} {:>12.1} {:>10.1} {:>10.1}",
            r.n,
            r.files,
            r.bytes,
            ms(r.parse.time),
            ms(r.apply.time),
            r.apply.time.as_secs_f64() / r.parse.time.as_secs_f64(),
            mib(r.parse.peak_kib),
            mib(r.apply.peak_kib),
        );
    }
    println!();
    println!("in-process phases (library calls, median ms):");
    println!(
        "{:>5} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "N", "Flake::load", "codemod", "engine::run", "run - once", "diff"
    );
    for r in &rows {
        let once = r.phases.load + r.phases.codemod;
        println!(
            "{:>5} {:>12.2} {:>12.2} {:>12.2} {:>12.2} {:>12.2}",
            r.n,
            ms(r.phases.load),
            ms(r.phases.codemod),
            ms(r.phases.run),
            ms(r.phases.run.saturating_sub(once)),
            ms(r.phases.diff),
        );
    }
    println!("(Flake::load: read, parse and scope-index flake.nix; codemod: SplitOutputs::apply;");
    println!(" engine::run: load + codemod + re-parse + post-checks + idempotence re-run;");
    println!(" run - once: engine::run minus one load and one codemod; diff: output::diff::unified_diff)");
    println!();
    println!("formatting (nixfmt_rs, the calls the engine makes, median ms):");
    println!(
        "{:>5} {:>14} {:>14} {:>16} {:>16} {:>16}",
        "N", "fmt unclean", "apply unclean", "fmt clean", "apply clean", "clean / no-fmt"
    );
    for r in &rows {
        let without = r.fmt.apply_clean.time.saturating_sub(r.fmt.clean);
        println!(
            "{:>5} {:>14.2} {:>14.2} {:>16.2} {:>16.2} {:>16.2}",
            r.n,
            ms(r.fmt.unclean),
            ms(r.apply.time),
            ms(r.fmt.clean),
            ms(r.fmt.apply_clean.time),
            r.fmt.apply_clean.time.as_secs_f64() / without.as_secs_f64(),
        );
    }
    println!(
        "(fmt: nixfmt on flake.nix before the edit, then on the changed flake.nix and the new"
    );
    println!(
        " files when it was clean; apply clean: the whole process on the tree made nixfmt-clean;"
    );
    println!(
        " clean / no-fmt: apply clean over apply clean minus its formatting, at most 2 wanted)"
    );
    println!();

    let time_of = |n: usize| rows.iter().find(|r| r.n == n).map(|r| r.apply.time);
    if let (Some(t100), Some(t1000)) = (time_of(100), time_of(1000)) {
        let ratio = t1000.as_secs_f64() / t100.as_secs_f64();
        let verdict = if ratio <= MAX_LINEAR_RATIO {
            "PASS"
        } else {
            "FAIL"
        };
        println!(
            "linearity: apply(1000) / apply(100) = {ratio:.2} (limit {MAX_LINEAR_RATIO}): {verdict}"
        );
    }
}

struct Row {
    n: usize,
    files: usize,
    bytes: usize,
    parse: Measure,
    apply: Measure,
    phases: Phases,
    fmt: Formatting,
}

#[derive(Clone, Copy)]
struct Measure {
    time: Duration,
    peak_kib: u64,
}

struct Formatting {
    /// The engine's nixfmt calls on the generated tree (not clean: one check).
    unclean: Duration,
    /// The same on the tree made nixfmt-clean (check, then formatting).
    clean: Duration,
    /// The whole process on the clean tree.
    apply_clean: Measure,
}

struct Phases {
    load: Duration,
    codemod: Duration,
    run: Duration,
    diff: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

// ---------------------------------------------------------------------------
// The tool binary.
// ---------------------------------------------------------------------------

/// The release binary. `cargo bench` builds the package's binaries with the
/// bench profile (release settings) and passes their path as
/// `CARGO_BIN_EXE_<name>`; when that file is missing (the bench executable
/// was run by hand after a `cargo clean`, say) it is built here.
fn tool_binary() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_BIN_EXE_flake-refactor"));
    if path.is_file() {
        return path;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("{} is missing; building it", path.display());
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "flake-refactor"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build --release failed");
    let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/flake-refactor");
    if path.is_file() {
        path
    } else {
        release
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {model}")
}

/// Run the tool `RUNS` times (after a warm-up) for time, then once more for
/// peak memory.
fn measure_tool(tool: &Path, args: &[&str]) -> Measure {
    let run = || {
        let start = Instant::now();
        let out = Command::new(tool)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run flake-refactor");
        let elapsed = start.elapsed();
        assert!(
            out.status.success(),
            "flake-refactor {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        elapsed
    };
    run();
    let time = median((0..RUNS).map(|_| run()).collect());
    let peak_kib = peak_with_time(tool, args).unwrap_or_else(|| peak_by_polling(tool, args));
    Measure { time, peak_kib }
}

/// Max RSS in KiB as GNU time reports it (`wait4`'s `ru_maxrss`).
fn peak_with_time(tool: &Path, args: &[&str]) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let out = tempfile::NamedTempFile::new().ok()?;
    let status = Command::new(time)
        .arg("-o")
        .arg(out.path())
        .args(["-f", "%M"])
        .arg(tool)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::read_to_string(out.path())
        .ok()?
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// Max RSS in KiB from `VmHWM` of `/proc/<pid>/status`, polled until the
/// process exits (it can miss growth in the last interval before exit).
fn peak_by_polling(tool: &Path, args: &[&str]) -> u64 {
    let mut child = Command::new(tool)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run flake-refactor");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            peak = peak.max(vm_hwm(&s).unwrap_or(0));
        }
        if child.try_wait().expect("wait for flake-refactor").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    peak
}

fn vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

// ---------------------------------------------------------------------------
// Parsing, in a child process.
// ---------------------------------------------------------------------------

/// Run this executable again in parse mode (or idle without `dir`); returns
/// the child's parse time and peak memory.
fn parse_child(dir: Option<&Path>) -> Measure {
    let exe = std::env::current_exe().expect("find the bench executable");
    let mut cmd = Command::new(exe);
    cmd.env(MODE_ENV, if dir.is_some() { "parse" } else { "idle" });
    if let Some(d) = dir {
        cmd.env(DIR_ENV, d);
    }
    let out = cmd.output().expect("run the parse child");
    assert!(
        out.status.success(),
        "parse child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace();
    let nanos: u64 = words.next().and_then(|w| w.parse().ok()).expect("time");
    let peak_kib: u64 = words.next().and_then(|w| w.parse().ok()).expect("VmHWM");
    Measure {
        time: Duration::from_nanos(nanos),
        peak_kib,
    }
}

fn measure_parse(dir: &Path) -> Measure {
    parse_child(Some(dir));
    let runs: Vec<Measure> = (0..RUNS).map(|_| parse_child(Some(dir))).collect();
    Measure {
        time: median(runs.iter().map(|m| m.time).collect()),
        peak_kib: runs.iter().map(|m| m.peak_kib).max().unwrap_or(0),
    }
}

/// The child side: print `<nanoseconds> <VmHWM KiB>`.
fn child(mode: &str) {
    let mut elapsed = Duration::ZERO;
    if mode == "parse" {
        let dir = PathBuf::from(std::env::var_os(DIR_ENV).expect("FLAKE_REFACTOR_BENCH_DIR"));
        let files = nix_files(&dir);
        let start = Instant::now();
        let mut errors = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read a .nix file");
            let parse = rnix::Root::parse(&text);
            errors += parse.errors().len();
        }
        elapsed = start.elapsed();
        assert_eq!(errors, 0, "the generated files must parse");
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    println!("{} {}", elapsed.as_nanos(), vm_hwm(&status).unwrap_or(0));
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("read a directory").flatten() {
        let (src, dest) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dest);
        } else {
            std::fs::create_dir_all(to).expect("create a directory");
            std::fs::copy(&src, &dest).expect("copy a file");
        }
    }
}

fn nix_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read a directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "nix") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// In-process phases.
// ---------------------------------------------------------------------------

fn in_process_phases(dir: &Path) -> Phases {
    let split = codemods::find("split-outputs").expect("split-outputs is registered");
    let options = Options::default();
    let flake_path = Path::new("flake.nix");
    let time = |f: &mut dyn FnMut()| {
        f();
        median(
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    f();
                    start.elapsed()
                })
                .collect(),
        )
    };
    let load = time(&mut || {
        let ws = Workspace::new(dir);
        Flake::load(&ws, flake_path).expect("load flake.nix");
    });
    let codemod = {
        let ws = Workspace::new(dir);
        let flake = Flake::load(&ws, flake_path).expect("load flake.nix");
        let cx = Context {
            ws: &ws,
            flake: &flake,
            options: &options,
        };
        time(&mut || {
            split.apply(&cx).expect("split-outputs applies");
        })
    };
    let run = time(&mut || {
        let mut ws = Workspace::new(dir);
        let outcome = engine::run(&mut ws, flake_path, &[split], &options).expect("engine::run");
        assert!(!outcome.changes.is_empty());
    });
    let diff = {
        let mut ws = Workspace::new(dir);
        let outcome = engine::run(&mut ws, flake_path, &[split], &options).expect("engine::run");
        time(&mut || {
            let d = output::diff::unified_diff(&outcome.changes, false);
            assert!(!d.is_empty());
        })
    };
    Phases {
        load,
        codemod,
        run,
        diff,
    }
}

/// The time of the nixfmt calls the engine makes for split-outputs on the
/// tree in `dir`: a cleanliness check of flake.nix, and when it was clean,
/// formatting the changed flake.nix (within the touched lines) and every
/// new file (median of [`RUNS`]).
fn formatting_time(dir: &Path) -> Duration {
    let split = codemods::find("split-outputs").expect("split-outputs is registered");
    let options = Options::default();
    let mut ws = Workspace::new(dir);
    let outcome =
        engine::run(&mut ws, Path::new("flake.nix"), &[split], &options).expect("engine::run");
    let old = std::fs::read_to_string(dir.join("flake.nix")).expect("read flake.nix");
    let change = outcome
        .changes
        .iter()
        .find(|c| c.path == Path::new("flake.nix"))
        .expect("flake.nix changes");
    let new = change.new.clone().expect("flake.nix stays");
    let created: Vec<String> = outcome
        .changes
        .iter()
        .filter(|c| c.is_create())
        .filter_map(|c| c.new.clone())
        .collect();
    let mut runs = Vec::new();
    for _ in 0..=RUNS {
        let start = Instant::now();
        if format::is_clean(&old) {
            // The touched lines: all of them is an upper bound of the check.
            let lines = 0..new.lines().count() + 1;
            let _ = format::format_within(&new, &[lines]);
            for c in &created {
                let _ = format::format(c);
            }
        }
        runs.push(start.elapsed());
    }
    runs.remove(0);
    median(runs)
}

// ---------------------------------------------------------------------------
// The synthetic flake.
// ---------------------------------------------------------------------------

/// Write a flake with `n` hosts and the files it refers to under `dir`;
/// returns the number of `.nix` files and their total size.
fn generate(dir: &Path, n: usize) -> (usize, usize) {
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "modules/base.nix",
        "{ pkgs, ... }:\n{\n  nix.settings.experimental-features = [ \"nix-command\" \"flakes\" ];\n  environment.systemPackages = [ pkgs.git pkgs.htop ];\n}\n",
    );
    write(
        "modules/users.nix",
        "{ ... }:\n{\n  users.users.admin = {\n    isNormalUser = true;\n    extraGroups = [ \"wheel\" ];\n  };\n}\n",
    );
    write(
        "hosts-config/shared/gpu.nix",
        "{ ... }:\n{\n  hardware.graphics.enable = true;\n}\n",
    );
    for i in 0..n {
        write(
            &format!("hosts-config/h{i}.nix"),
            &format!(
                "{{ ... }}:\n{{\n  # host h{i}\n  networking.hostId = \"{i:08x}\";\n  system.stateVersion = \"24.11\";\n}}\n"
            ),
        );
    }
    write("flake.nix", &flake_text(n));
    let files = nix_files(dir);
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
        .sum();
    (files.len(), bytes)
}

fn flake_text(n: usize) -> String {
    let mut hosts = String::new();
    for i in 0..n {
        if i % 10 == 0 {
            hosts.push_str(&format!(
                "\n        # Rack {}: hosts h{i} to h{}.\n",
                i / 10,
                i + 9
            ));
        }
        match i % 3 {
            0 => hosts.push_str(&format!(
                "        h{i} = nixpkgs.lib.nixosSystem {{\n          system = \"x86_64-linux\";\n          specialArgs = {{ inherit inputs self; }};\n          modules = commonModules ++ [\n            ./hosts-config/h{i}.nix # machine-specific\n            {{ environment.etc.motd.text = motd; }}\n          ];\n        }};\n"
            )),
            1 => hosts.push_str(&format!("        h{i} = mkHost {{ name = \"h{i}\"; }};\n")),
            _ => hosts.push_str(&format!(
                "        h{i} = mkHost {{\n          name = \"h{i}\";\n          system = \"aarch64-linux\";\n          extraModules = [ ./hosts-config/shared/gpu.nix ];\n        }};\n"
            )),
        }
    }
    format!(
        r#"# A synthetic fleet of {n} hosts, for the split-outputs benchmark.
{{
  description = "synthetic fleet ({n} hosts)";

  inputs = {{
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  }};

  outputs = {{ self, nixpkgs, home-manager, ... }}@inputs:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
      pkgsFor = system: nixpkgs.legacyPackages.${{system}};

      # Modules every host gets.
      commonModules = [
        ./modules/base.nix
        ./modules/users.nix
        home-manager.nixosModules.home-manager
      ];

      # One host from ./hosts-config/<name>.nix.
      mkHost = {{ name, system ? "x86_64-linux", extraModules ? [ ] }}:
        nixpkgs.lib.nixosSystem {{
          inherit system;
          specialArgs = {{ inherit inputs self; }};
          modules = commonModules ++ [
            ./hosts-config/${{name}}.nix
            {{ networking.hostName = name; }}
          ] ++ extraModules;
        }};

      motd = ''
        Managed by Nix; do not edit by hand.
          Questions: ops@example.org
      '';
    in
    {{
      nixosConfigurations = {{{hosts}      }};

      packages = forAllSystems (system:
        let
          pkgs = pkgsFor system;
        in
        {{
          default = pkgs.hello;
          tools = pkgs.symlinkJoin {{
            name = "tools";
            paths = [ pkgs.git pkgs.jq pkgs.ripgrep ];
          }};
        }});

      devShells = forAllSystems (system:
        let
          pkgs = pkgsFor system;
        in
        {{
          default = pkgs.mkShell {{
            packages = [ pkgs.git pkgs.nixfmt-rfc-style ];
          }};
        }});

      checks = forAllSystems (system: {{
        hello = self.packages.${{system}}.default;
        # Every host has the common modules.
        module-count = (pkgsFor system).writeText "n" (toString (builtins.length commonModules));
      }});

      formatter = forAllSystems (system: (pkgsFor system).nixfmt-rfc-style);
    }};
}}
"#
    )
}
