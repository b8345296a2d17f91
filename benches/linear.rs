//! Benchmark: does the time grow linearly with the input, on the shapes
//! that used to be quadratic?
//!
//! Run with `cargo bench --bench linear` (release binary through
//! `CARGO_BIN_EXE_flake-refactor`). Two tables:
//!
//! 1. **review by hosts**: `flake-refactor review --format json` on a
//!    generated `flake.nix` with N NixOS hosts: each an inline
//!    `nixpkgs.lib.nixosSystem { ... }` with a shared module file and an
//!    inline module; then half built by a `mkHost` helper and half inline
//!    with a Home Manager block (default N = 1000, 4000, 16000;
//!    `FLAKE_REFACTOR_BENCH_HOSTS=1000,10000,100000` for more).
//! 2. **apply by nesting**: `flake-refactor apply split-outputs` (dry run)
//!    on a flake whose `packages` is one shape of depth or length N (default
//!    N = 1000, 10000, 100000; `FLAKE_REFACTOR_BENCH_DEPTHS`): nested lists,
//!    a unary minus chain, a negation chain, a selection `a.b.b...`, a
//!    compact sum `1+1+...`, a concatenation `[ 1 ] ++ ...`, a list of N
//!    elements. The deep shapes are refused (the parser's depth limit, or
//!    `syntax::check_shape_limits`); what matters is how long that takes.
//!
//! Each figure is the median of [`RUNS`] runs (wall time of the process).
//! The last column is the time per unit relative to the smallest N: about
//! 1 (or below) when the growth is linear.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

/// Writes a flake with N hosts into a directory.
type Generator = fn(&Path, usize);

fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

fn tool() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_flake-refactor"))
}

/// The median wall time of `RUNS` runs, and the last exit code.
fn time(args: &[&str], dir: &Path) -> (Duration, i32) {
    let mut times = Vec::new();
    let mut code = -1;
    for _ in 0..RUNS {
        let start = Instant::now();
        let status = Command::new(tool())
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run flake-refactor");
        times.push(start.elapsed());
        code = status.code().unwrap_or(-1);
    }
    times.sort();
    (times[times.len() / 2], code)
}

fn hosts_flake(dir: &Path, n: usize) {
    std::fs::write(
        dir.join("common.nix"),
        "{ pkgs, ... }: { services.openssh.enable = true; }\n",
    )
    .expect("write");
    let mut text = String::from(
        "{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs\";\n  outputs = { self, nixpkgs, ... }: {\n    nixosConfigurations = {\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "      h{i} = nixpkgs.lib.nixosSystem {{\n        system = \"x86_64-linux\";\n        modules = [ ./common.nix {{ networking.hostName = \"h{i}\"; }} ];\n      }};\n"
        ));
    }
    text.push_str("    };\n  };\n}\n");
    std::fs::write(dir.join("flake.nix"), text).expect("write");
}

/// Hosts half built by a `mkHost` helper, half inline with a Home Manager
/// block (the shape that made review quadratic through its per-block
/// questions).
fn hm_hosts_flake(dir: &Path, n: usize) {
    std::fs::write(
        dir.join("common.nix"),
        "{ pkgs, ... }: { services.openssh.enable = true; }\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("home.nix"),
        "{ pkgs, ... }: { programs.git.enable = true; }\n",
    )
    .expect("write");
    let mut text = String::from(
        "{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs\";\n  inputs.home-manager.url = \"github:nix-community/home-manager\";\n  outputs = { self, nixpkgs, home-manager, ... }@inputs:\n    let\n      mkHost = { name }: nixpkgs.lib.nixosSystem {\n        system = \"x86_64-linux\";\n        modules = [ ./common.nix { networking.hostName = name; } ];\n      };\n    in {\n    nixosConfigurations = {\n",
    );
    for i in 0..n {
        if i % 2 == 0 {
            text.push_str(&format!("      h{i} = mkHost {{ name = \"h{i}\"; }};\n"));
        } else {
            text.push_str(&format!(
                "      h{i} = nixpkgs.lib.nixosSystem {{\n        system = \"x86_64-linux\";\n        specialArgs = {{ inherit inputs; }};\n        modules = [\n          ./common.nix\n          home-manager.nixosModules.home-manager\n          {{\n            networking.hostName = \"h{i}\";\n            home-manager.useGlobalPkgs = true;\n            home-manager.users.alice = import ./home.nix;\n          }}\n        ];\n      }};\n"
            ));
        }
    }
    text.push_str("    };\n  };\n}\n");
    std::fs::write(dir.join("flake.nix"), text).expect("write");
}

fn shape(name: &str, n: usize) -> String {
    match name {
        "nested lists" => format!("{}1{}", "[ ".repeat(n), " ]".repeat(n)),
        "unary minus" => format!("{}1", "- ".repeat(n)),
        "negation" => format!("{}true", "!".repeat(n)),
        "selection" => format!("{{ a = 1; }}.a{} or 1", ".b".repeat(n)),
        "compact sum" => vec!["1"; n].join("+"),
        "concatenation" => vec!["[ 1 ]"; n].join(" ++ "),
        "long list" => format!(
            "[\n{}      ]",
            (0..n).map(|i| format!("        {i}\n")).collect::<String>()
        ),
        _ => unreachable!(),
    }
}

const SHAPES: &[&str] = &[
    "nested lists",
    "unary minus",
    "negation",
    "selection",
    "compact sum",
    "concatenation",
    "long list",
];

fn main() {
    let tmp = std::env::temp_dir().join(format!("flake-refactor-linear-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("mkdir");
    println!("linear-time benchmark, tool {}", tool().display());
    println!("median of {RUNS} runs; per unit = time / N, relative to the smallest N");
    println!();

    let families: [(&str, Generator); 2] = [
        ("review by hosts (inline nixosSystem)", hosts_flake),
        (
            "review by hosts (helper, or inline with Home Manager)",
            hm_hosts_flake,
        ),
    ];
    for (title, generate) in families {
        println!("{title}");
        println!(
            "{:>8}  {:>10}  {:>10}  {:>8}",
            "hosts", "flake.nix", "time", "per unit"
        );
        let mut base: Option<f64> = None;
        for n in sizes("FLAKE_REFACTOR_BENCH_HOSTS", &[1000, 4000, 16000]) {
            let dir = tmp.join(format!("hosts-{n}"));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("mkdir");
            generate(&dir, n);
            let size = std::fs::metadata(dir.join("flake.nix")).map_or(0, |m| m.len());
            let (t, code) = time(&["review", "--format", "json", "--fail-on", "never"], &dir);
            assert_eq!(code, 0, "review failed on {n} hosts");
            let per = t.as_secs_f64() / n as f64;
            let rel = per / *base.get_or_insert(per);
            println!(
                "{n:>8}  {:>8.1}MB  {:>9.2}s  {rel:>8.2}",
                size as f64 / 1e6,
                t.as_secs_f64()
            );
        }
        println!();
    }

    println!("apply split-outputs (dry run) by nesting or length");
    println!(
        "{:<14} {:>8}  {:>10}  {:>5}  {:>8}",
        "shape", "N", "time", "exit", "per unit"
    );
    let depths = sizes("FLAKE_REFACTOR_BENCH_DEPTHS", &[1000, 10000, 100000]);
    for name in SHAPES {
        let mut base: Option<f64> = None;
        for &n in &depths {
            let dir = tmp.join(format!("{}-{n}", name.replace(' ', "-")));
            std::fs::create_dir_all(&dir).expect("mkdir");
            let text = format!(
                "{{\n  description = \"bench\";\n  outputs = {{ self, ... }}: {{\n    packages =\n      {};\n  }};\n}}\n",
                shape(name, n)
            );
            std::fs::write(dir.join("flake.nix"), text).expect("write");
            let (t, code) = time(&["apply", "split-outputs", "--color", "never"], &dir);
            let per = t.as_secs_f64() / n as f64;
            let rel = per / *base.get_or_insert(per);
            println!(
                "{name:<14} {n:>8}  {:>9.3}s  {code:>5}  {rel:>8.2}",
                t.as_secs_f64()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
