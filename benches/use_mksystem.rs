//! Benchmark: `use-mksystem` on flakes with N near-copy hosts and no helper.
//!
//! Run with `cargo bench --bench use_mksystem` (sizes from
//! `FLAKE_REFACTOR_BENCH_SIZES`, default 125, 250, 500, 1000). Each host is
//! an inline `nixpkgs.lib.nixosSystem { ... }` with its own host path, every
//! third one with an optional run of modules (disko and gaming), so the
//! codemod clusters the hosts, builds one `mkSystem`, rewrites every host
//! and proves each call by beta-reduction. For each N it measures, in
//! process, the median of [`RUNS`] runs of:
//!
//! 1. **parse**: `rnix::Root::parse` of flake.nix (the floor);
//! 2. **codemod**: `Flake::load` plus `UseMksystem::apply` (clustering,
//!    lifting, the proofs);
//!
//! and prints codemod / parse (the issue asks for at most 20 at N = 1000)
//! and the time per host relative to the smallest N divided by
//! log2(N) / log2(N0) (at most about 1 when growth is no worse than
//! n log n). Both checks print PASS or FAIL; the benchmark never panics on
//! them.

use std::path::Path;
use std::time::{Duration, Instant};

use flake_refactor::codemods::{self, Context, Options};
use flake_refactor::flake::Flake;
use flake_refactor::workspace::Workspace;

/// Timed runs per measurement (the median is reported), after one warm-up.
const RUNS: usize = 5;

fn sizes() -> Vec<usize> {
    std::env::var("FLAKE_REFACTOR_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![125, 250, 500, 1000])
}

/// A flake with `n` near-copy hosts, written into `dir`.
fn write_flake(dir: &Path, n: usize) {
    let mut hosts = String::new();
    for i in 0..n {
        let optional = if i % 3 == 0 {
            "          ./modules/disko.nix\n          ./modules/gaming.nix\n"
        } else {
            ""
        };
        hosts.push_str(&format!(
            "      # Host number {i}.\n      host{i} = nixpkgs.lib.nixosSystem {{\n        system = \"x86_64-linux\";\n        specialArgs = {{ inherit inputs; }};\n        modules = [\n          ./hosts/host{i}.nix\n          ./modules\n{optional}          home-manager.nixosModules.home-manager\n        ];\n      }};\n"
        ));
        let host = dir.join(format!("hosts/host{i}.nix"));
        std::fs::create_dir_all(host.parent().unwrap()).unwrap();
        std::fs::write(host, "{ ... }:\n{\n  networking.hostName = \"x\";\n}\n").unwrap();
    }
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    for m in ["default", "disko", "gaming"] {
        std::fs::write(dir.join(format!("modules/{m}.nix")), "{ ... }:\n{ }\n").unwrap();
    }
    let flake = format!(
        "{{\n  inputs = {{\n    nixpkgs.url = \"github:NixOS/nixpkgs/nixos-24.11\";\n    home-manager.url = \"github:nix-community/home-manager\";\n  }};\n\n  outputs = {{ self, nixpkgs, home-manager, ... }}@inputs: {{\n    nixosConfigurations = {{\n{hosts}    }};\n  }};\n}}\n"
    );
    std::fs::write(dir.join("flake.nix"), flake).unwrap();
}

fn median(f: &mut dyn FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let codemod = codemods::find("use-mksystem").expect("use-mksystem is registered");
    let options = Options::default();
    println!("use-mksystem benchmark ({RUNS} runs per figure, median)");
    println!(
        "{:>6} {:>12} {:>14} {:>16} {:>22}",
        "N", "parse ms", "codemod ms", "codemod/parse", "per host vs n log n"
    );
    let mut first: Option<(usize, f64)> = None;
    let mut last_ratio = 0.0;
    let mut worst_growth: f64 = 0.0;
    for n in sizes() {
        let dir = tempfile::tempdir().unwrap();
        write_flake(dir.path(), n);
        let text = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
        let parse = median(&mut || {
            let root = rnix::Root::parse(&text);
            assert!(root.errors().is_empty());
        });
        let run = median(&mut || {
            let ws = Workspace::new(dir.path());
            let flake = Flake::load(&ws, Path::new("flake.nix")).expect("load flake.nix");
            let cx = Context {
                ws: &ws,
                flake: &flake,
                options: &options,
            };
            let fix = codemod.apply(&cx).expect("use-mksystem applies");
            assert!(!fix.is_empty());
        });
        let per_host = ms(run) / n as f64;
        let growth = match first {
            None => {
                first = Some((n, per_host));
                1.0
            }
            Some((n0, p0)) => (per_host / p0) / ((n as f64).log2() / (n0 as f64).log2()),
        };
        worst_growth = worst_growth.max(growth);
        last_ratio = ms(run) / ms(parse).max(1e-6);
        println!(
            "{n:>6} {:>12.2} {:>14.2} {:>16.1} {:>22.2}",
            ms(parse),
            ms(run),
            last_ratio,
            growth
        );
    }
    println!();
    println!(
        "{} codemod / parse at the largest N: {last_ratio:.1} (at most 20)",
        if last_ratio <= 20.0 { "PASS" } else { "FAIL" }
    );
    println!(
        "{} growth: worst per-host time relative to n log n: {worst_growth:.2} (at most 1.5)",
        if worst_growth <= 1.5 { "PASS" } else { "FAIL" }
    );
}
