//! The project's own `flake.nix`: it cannot be built here (no network), so
//! it is parsed with Nix and checked for the outputs users expect: the
//! package built from `Cargo.lock`, an app, an overlay, a dev shell, checks
//! (the package, clippy, a review of the example) and a formatter.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use flake_refactor::flake::Flake;
use flake_refactor::workspace::Workspace;
use rnix::ast;
use rnix::SyntaxKind;
use rowan::ast::AstNode;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text() -> String {
    std::fs::read_to_string(root().join("flake.nix")).expect("flake.nix at the repository root")
}

#[test]
fn flake_nix_parses_with_nix() {
    if !common::nix_available() {
        return;
    }
    let out = Command::new("nix-instantiate")
        .arg("--parse")
        .arg(root().join("flake.nix"))
        .output()
        .expect("run nix-instantiate");
    assert!(
        out.status.success(),
        "nix-instantiate --parse flake.nix failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The attribute paths (as `a.b.c`) set by the entries of every attribute
/// set below `node`, and their values' text.
fn bindings(node: &rnix::SyntaxNode) -> Vec<(String, String)> {
    node.descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .filter_map(ast::AttrpathValue::cast)
        .filter_map(|b| {
            let path = b.attrpath()?.syntax().to_string();
            let value = b.value()?.syntax().to_string();
            Some((path.split_whitespace().collect(), value))
        })
        .collect()
}

/// The names bound directly in the attribute sets of `node` (its own
/// entries and, for a function or call, those of the set it returns).
fn names_below(node: &rnix::SyntaxNode) -> BTreeSet<String> {
    bindings(node).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn flake_nix_defines_the_outputs() {
    let ws = Workspace::new(root());
    let flake = Flake::load(&ws, Path::new("flake.nix")).expect("flake.nix loads");
    let names = flake.output_names();
    for out in [
        "packages",
        "apps",
        "overlays",
        "devShells",
        "checks",
        "formatter",
    ] {
        assert!(
            names.contains(out),
            "flake.nix has no `{out}` output: {names:?}"
        );
    }
    let outputs = flake.outputs.as_ref().expect("an outputs function");
    let def = |name: &'static str| {
        outputs
            .defs_of(name)
            .next()
            .unwrap_or_else(|| panic!("no definition of {name}"))
    };
    // overlays.default, and a `default` in each per-system output.
    assert_eq!(def("overlays").path, ["overlays", "default"]);
    for out in ["packages", "apps", "devShells"] {
        let value = def(out).value.clone().expect("a value");
        assert!(
            names_below(&value).contains("default"),
            "{out} has no `default`"
        );
    }
    let checks = def("checks").value.clone().expect("checks' value");
    let check_names = names_below(&checks);
    for check in ["clippy", "review"] {
        assert!(
            check_names.contains(check),
            "checks lack {check}: {check_names:?}"
        );
    }
    // The package itself is a check (`inherit package;`).
    let inherits: Vec<String> = checks
        .descendants()
        .filter_map(ast::Inherit::cast)
        .flat_map(|i| {
            i.attrs()
                .map(|a| a.syntax().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(inherits.contains(&"package".to_string()), "{inherits:?}");
    let review = bindings(&checks)
        .into_iter()
        .find(|(p, _)| p == "review")
        .map(|(_, v)| v)
        .unwrap();
    assert!(review.contains("flake-refactor review --flake hybrid"));
    assert!(review.contains("./examples/hybrid"));
    let clippy = bindings(&checks)
        .into_iter()
        .find(|(p, _)| p == "clippy")
        .map(|(_, v)| v)
        .unwrap();
    assert!(clippy.contains("cargo clippy --all-targets"));

    // The package: buildRustPackage from Cargo.lock.
    let all = bindings(&flake.file.root);
    assert!(
        all.iter()
            .any(|(p, v)| p == "cargoLock.lockFile" && v == "./Cargo.lock"),
        "no cargoLock.lockFile = ./Cargo.lock"
    );
    assert!(text().contains("rustPlatform.buildRustPackage"));
    // The dev shell brings a Rust toolchain and Nix.
    let shell = def("devShells").value.clone().unwrap().to_string();
    for tool in ["pkgs.cargo", "pkgs.rustc", "pkgs.clippy", "pkgs.nix"] {
        assert!(shell.contains(tool), "the dev shell lacks {tool}");
    }
    // The app runs the package's binary.
    let app = def("apps").value.clone().unwrap().to_string();
    assert!(app.contains("type = \"app\""));
    assert!(app.contains("/bin/flake-refactor"));
}

/// The pre-commit hooks and the GitHub Action call commands and options
/// that exist.
#[test]
fn hooks_and_action_use_real_commands() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    for id in ["flake-refactor-review", "flake-refactor-check"] {
        assert!(hooks.contains(&format!("- id: {id}\n")), "no hook {id}");
    }
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("github/codeql-action/upload-sarif"));
    assert!(action.contains("GITHUB_STEP_SUMMARY"));
    // Every `flake-refactor <command> --option` named there is accepted.
    let bin = env!("CARGO_BIN_EXE_flake-refactor");
    for line in hooks.lines().chain(action.lines()) {
        let Some(at) = line.find("flake-refactor ") else {
            continue;
        };
        let words: Vec<&str> = line[at..].split_whitespace().collect();
        let command = words[1];
        if !["review", "apply"].contains(&command) {
            continue;
        }
        let help = Command::new(bin)
            .args([command, "--help"])
            .output()
            .expect("run --help");
        let help = String::from_utf8(help.stdout).unwrap();
        for option in words.iter().filter(|w| w.starts_with("--")) {
            assert!(
                help.contains(option),
                "{command} has no {option} (in `{line}`)"
            );
        }
    }
}
