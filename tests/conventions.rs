//! The command-line conventions of issue 10: completions and the man page,
//! help, `apply --format json`, review documents on errors, the upward
//! search for `flake.nix`, paths relative to the current directory,
//! diagnostics and colour, and the commit identity of `--branch`.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, git, repo_with};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn hybrid() -> PathBuf {
    fixture("examples/hybrid")
}

use common::{bin, finish, run, Run};

fn plain_copy(tree: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(tree, dir.path());
    dir
}

/// A flake with a syntax error at line 3, column 9.
fn broken_flake() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flake.nix"),
        "{\n  outputs = { self, ... }: {\n    a = ;\n  };\n}\n",
    )
    .unwrap();
    dir
}

// ---------------------------------------------------------------------------
// Completions, man page, help
// ---------------------------------------------------------------------------

#[test]
fn completions_for_every_shell() {
    let here = fixture(".");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run(&here, &["completions", shell]).expect(0);
        assert!(r.stdout.contains("flake-refactor"), "{shell}: {}", r.stdout);
        for word in ["apply", "review", "explain", "format", "allow-dirty"] {
            assert!(r.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
    run(&here, &["completions", "tcsh"]).expect(2);
}

#[test]
fn the_man_page_renders() {
    let here = fixture(".");
    let r = run(&here, &["manpage"]).expect(0);
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains("\n.TH "),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(".TH flake-refactor 1"), "{}", r.stdout);
    for word in ["apply", "review", "completions", "manpage"] {
        assert!(r.stdout.contains(word), "the man page lacks {word}");
    }
    // One command's page.
    let apply = run(&here, &["manpage", "apply"]).expect(0);
    assert!(
        apply.stdout.contains(".TH flake-refactor-apply 1"),
        "{}",
        apply.stdout
    );
    for option in ["format", "author", "verify"] {
        assert!(
            apply.stdout.contains(option),
            "the apply page lacks {option}"
        );
    }
    run(&here, &["manpage", "no-such-command"]).expect(2);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    run(&here, &["manpage", "--out-dir", out.to_str().unwrap()]).expect(0);
    for page in [
        "flake-refactor.1",
        "flake-refactor-apply.1",
        "flake-refactor-review.1",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains(".TH "), "{page}");
    }
}

#[test]
fn every_subcommand_help_lists_its_arguments() {
    let here = fixture(".");
    let top = run(&here, &["--help"]).expect(0);
    for sub in [
        "list",
        "explain",
        "apply",
        "review",
        "completions",
        "manpage",
    ] {
        assert!(
            top.stdout.contains(sub),
            "--help lacks {sub}:\n{}",
            top.stdout
        );
    }
    let expected: &[(&str, &[&str])] = &[
        ("list", &[]),
        ("explain", &["<NAME>"]),
        (
            "apply",
            &[
                "<CODEMOD>",
                "--flake",
                "--write",
                "--branch",
                "--author",
                "--check",
                "--format",
                "--color",
                "--verify",
                "--only",
                "--to",
            ],
        ),
        (
            "review",
            &["--flake", "--format", "--fail-on", "--max-lines", "--color"],
        ),
        ("completions", &["<SHELL>", "bash", "zsh", "fish"]),
        ("manpage", &["--out-dir", "[COMMAND]"]),
    ];
    for (sub, args) in expected {
        let r = run(&here, &[sub, "--help"]).expect(0);
        for arg in *args {
            assert!(
                r.stdout.contains(arg),
                "{sub} --help lacks {arg}:\n{}",
                r.stdout
            );
        }
    }
}

// ---------------------------------------------------------------------------
// apply --format json
// ---------------------------------------------------------------------------

#[test]
fn apply_json_on_a_change() {
    let dir = plain_copy(&hybrid());
    let r = run(dir.path(), &["apply", "split-outputs", "--format", "json"]).expect(0);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["command"], "apply");
    assert_eq!(doc["mode"], "dry-run");
    assert_eq!(doc["status"], "changes");
    assert_eq!(doc["exit_code"], 0);
    assert_eq!(doc["flake"], "flake.nix");
    let root = doc["root"].as_str().unwrap();
    assert_eq!(
        Path::new(root),
        dir.path().canonicalize().unwrap(),
        "root is the repository root"
    );
    assert!(doc["error"].is_null());
    let files = doc["files"].as_array().unwrap();
    let hosts = files
        .iter()
        .find(|f| f["path"] == "hosts/default.nix")
        .expect("hosts/default.nix");
    assert_eq!(hosts["status"], "created");
    assert!(hosts["diff"]
        .as_str()
        .unwrap()
        .starts_with("diff --git a/hosts/default.nix b/hosts/default.nix\n"));
    let flake = files.iter().find(|f| f["path"] == "flake.nix").unwrap();
    assert_eq!(flake["status"], "changed");
    let codemods = doc["codemods"].as_array().unwrap();
    assert_eq!(codemods.len(), 1);
    assert_eq!(codemods[0]["name"], "split-outputs");
    assert!(!codemods[0]["actions"].as_array().unwrap().is_empty());
    assert!(codemods[0]["notes"].is_array());
    assert!(codemods[0]["declared_changes"].is_array());
    assert!(doc["verify"].is_null());
    // Nothing but the document: no summary on stderr.
    assert_eq!(r.stderr, "");

    // --check: exit 1, the same document otherwise.
    let c = run(
        dir.path(),
        &["apply", "split-outputs", "--check", "--format", "json"],
    )
    .expect(1);
    let check = c.json();
    assert_eq!(check["mode"], "check");
    assert_eq!(check["exit_code"], 1);
    assert_eq!(check["files"], doc["files"]);

    // An unsafe codemod declares the outputs it changes.
    let d = run(
        dir.path(),
        &[
            "apply",
            "drop-osconfigfor",
            "--allow-breaking",
            "--format",
            "json",
        ],
    )
    .expect(0)
    .json();
    let declared = d["codemods"][0]["declared_changes"].as_array().unwrap();
    assert!(
        declared.iter().any(|x| x == "homeConfigurations.alice"),
        "{d:#}"
    );

    // --write reports what it wrote.
    let w = run(
        dir.path(),
        &["apply", "split-outputs", "--write", "--format", "json"],
    )
    .expect(0)
    .json();
    assert_eq!(w["status"], "written");
    assert!(w["written"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "hosts/default.nix"));
    // Now there is nothing to do.
    let n = run(dir.path(), &["apply", "split-outputs", "--format", "json"])
        .expect(0)
        .json();
    assert_eq!(n["status"], "nothing-to-do");
    assert_eq!(n["files"].as_array().unwrap().len(), 0);
}

#[test]
fn apply_json_on_a_refusal() {
    let dir = plain_copy(&hybrid());
    std::fs::create_dir(dir.path().join("hosts")).unwrap();
    std::fs::write(dir.path().join("hosts/default.nix"), "{ }\n").unwrap();
    // A target named with --to that is taken (without it the output would
    // go to a free conventional place).
    let r = run(
        dir.path(),
        &[
            "apply",
            "split-outputs",
            "--to",
            "nixosConfigurations=hosts",
            "--format",
            "json",
        ],
    )
    .expect(2);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["status"], "error");
    assert_eq!(doc["exit_code"], 2);
    let e = &doc["error"];
    assert_eq!(e["kind"], "refused");
    assert_eq!(e["codemod"], "split-outputs");
    assert!(
        e["reason"].as_str().unwrap().contains("already exists"),
        "{e}"
    );
    assert_eq!(e["location"]["file"], "hosts/default.nix");
    assert_eq!(e["location"]["line"], 1);
    assert!(doc["files"].as_array().unwrap().is_empty());
    // The error is on stderr too, as a diagnostic.
    assert!(
        r.stderr
            .starts_with("hosts/default.nix:1:1: error: split-outputs: refused:"),
        "{}",
        r.stderr
    );

    // An unknown codemod, a bad --to, a bad --author: JSON as well.
    for args in [
        &["apply", "no-such-codemod", "--format", "json"][..],
        &["apply", "split-outputs", "--to", "x", "--format", "json"][..],
        &[
            "apply",
            "split-outputs",
            "--branch",
            "--author",
            "nobody",
            "--format",
            "json",
        ][..],
    ] {
        let r = run(dir.path(), args).expect(2);
        assert_eq!(r.json()["error"]["kind"], "usage", "{args:?}");
    }
    // Arguments clap rejects, too.
    for args in [
        &["apply", "--format", "json"][..],
        &["apply", "split-outputs", "--bogus", "--format=json"][..],
    ] {
        let r = run(dir.path(), args).expect(2);
        let doc = r.json();
        assert_eq!(doc["error"]["kind"], "usage", "{args:?}");
        assert!(r.stderr.contains("error:"), "{}", r.stderr);
    }
    // --help is still help.
    let r = run(dir.path(), &["apply", "--format", "json", "--help"]).expect(0);
    assert!(r.stdout.contains("Usage:"));
}

#[test]
fn apply_json_on_a_syntax_error() {
    let dir = broken_flake();
    // A target named with --to that is taken (without it the output would
    // go to a free conventional place).
    let r = run(
        dir.path(),
        &[
            "apply",
            "split-outputs",
            "--to",
            "nixosConfigurations=hosts",
            "--format",
            "json",
        ],
    )
    .expect(2);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["status"], "error");
    assert_eq!(doc["flake"], "flake.nix");
    let e = &doc["error"];
    assert_eq!(e["kind"], "syntax");
    assert_eq!(e["location"]["file"], "flake.nix");
    assert_eq!(e["location"]["line"], 3);
    assert_eq!(e["location"]["column"], 9);
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("flake.nix:3:9: "));

    // No flake at all.
    let empty = tempfile::tempdir().unwrap();
    let r = run(
        empty.path(),
        &["apply", "split-outputs", "--format", "json"],
    )
    .expect(2);
    let doc = r.json();
    assert!(doc["root"].is_null());
    assert_eq!(doc["error"]["kind"], "usage");
}

// ---------------------------------------------------------------------------
// review documents on errors
// ---------------------------------------------------------------------------

#[test]
fn review_json_and_sarif_on_a_syntax_error() {
    let dir = broken_flake();
    let r = run(dir.path(), &["review", "--format", "json"]).expect(2);
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["flake"], "flake.nix");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert_eq!(doc["error"]["location"]["file"], "flake.nix");
    assert_eq!(doc["error"]["location"]["start"]["line"], 3);
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("flake.nix:3:9"));
    assert!(r.stderr.contains("error:"), "{}", r.stderr);

    let r = run(dir.path(), &["review", "--format", "sarif"]).expect(2);
    let sarif = r.json();
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["results"].as_array().unwrap().len(), 0);
    assert_eq!(run0["tool"]["driver"]["name"], "flake-refactor");
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .contains("flake.nix:3:9"));
    let at = &note["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "flake.nix");
    assert_eq!(at["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(at["region"]["startLine"], 3);
    // The SARIF log is one that serde-sarif reads.
    let _: serde_sarif::sarif::Sarif = serde_json::from_str(&r.stdout).unwrap();

    // Unreadable: no flake.nix at all.
    let empty = tempfile::tempdir().unwrap();
    for format in ["json", "sarif"] {
        let r = run(empty.path(), &["review", "--format", format]).expect(2);
        r.json();
    }
}

#[test]
fn review_sarif_names_its_base_and_json_its_root() {
    let dir = plain_copy(&hybrid());
    let r = run(
        dir.path(),
        &["review", "--format", "sarif", "--fail-on", "never"],
    )
    .expect(0);
    let sarif = r.json();
    let base = &sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    let root = dir.path().canonicalize().unwrap();
    assert_eq!(
        base.as_str().unwrap(),
        format!("file://{}/", root.display())
    );
    let uri =
        &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(uri["uriBaseId"], "%SRCROOT%");
    assert!(!uri["uri"].as_str().unwrap().starts_with('/'));

    let json = run(
        dir.path(),
        &["review", "--format", "json", "--fail-on", "never"],
    )
    .expect(0)
    .json();
    assert_eq!(Path::new(json["root"].as_str().unwrap()), root);
    assert_eq!(json["flake"], "flake.nix");
}

// ---------------------------------------------------------------------------
// Finding the flake, paths relative to the current directory
// ---------------------------------------------------------------------------

#[test]
fn upward_search_from_a_subdirectory() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let top = run(dir, &["apply", "split-outputs"]).expect(0);
    assert!(!top.stderr.contains("note: using"), "{}", top.stderr);

    let deep = dir.join("modules/services");
    let r = run(&deep, &["apply", "split-outputs"]).expect(0);
    // The same diff (repository-relative, for git apply)...
    assert_eq!(r.stdout, top.stdout);
    // ...and a note saying which flake was chosen.
    assert!(
        r.stderr.starts_with("note: using ../../flake.nix\n"),
        "{}",
        r.stderr
    );

    // With --format json: the same note on stderr, paths in the document
    // relative to the root.
    let j = run(&deep, &["apply", "split-outputs", "--format", "json"]).expect(0);
    assert!(
        j.stderr.starts_with("note: using ../../flake.nix\n"),
        "{}",
        j.stderr
    );
    assert_eq!(j.json()["flake"], "flake.nix");
    assert!(j.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "hosts/default.nix"));

    // review too.
    let review = run(&deep, &["review", "--fail-on", "never"]).expect(0);
    assert!(
        review.stderr.contains("note: using ../../flake.nix"),
        "{}",
        review.stderr
    );
}

#[test]
fn paths_are_relative_to_the_current_directory() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let sub = dir.join("modules");

    // The summary of a dry run.
    let r = run(&sub, &["apply", "split-outputs"]).expect(0);
    assert!(
        r.stderr.contains("created: ../hosts/default.nix\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("changed: ../flake.nix\n"), "{}", r.stderr);
    // Paths inside the messages too.
    assert!(
        r.stderr.contains(
            "split-outputs: moved `nixosConfigurations` (../flake.nix:125:7) to ../hosts/default.nix,"
        ),
        "{}",
        r.stderr
    );

    // --write and the intent-to-add list.
    let w = run(&sub, &["apply", "split-outputs", "--write"]).expect(0);
    assert!(w.stderr.contains("wrote 6 files"), "{}", w.stderr);
    let ita = w
        .stderr
        .lines()
        .find(|l| l.contains("intent-to-add"))
        .unwrap();
    assert!(ita.contains("../hosts/default.nix"), "{ita}");
    git(dir, &["checkout", "--", "."]);
    git(dir, &["reset", "-q"]);
    for p in ["hosts", "home", "packages", "checks", "devshells"] {
        std::fs::remove_dir_all(dir.join(p)).unwrap();
    }

    // An error at a place.
    std::fs::create_dir(dir.join("hosts")).unwrap();
    std::fs::write(dir.join("hosts/default.nix"), "{ }\n").unwrap();
    let e = run(
        &sub,
        &[
            "apply",
            "split-outputs",
            "--to",
            "nixosConfigurations=hosts",
        ],
    )
    .expect(2);
    assert!(
        e.stderr.starts_with(
            "note: using ../flake.nix\n../hosts/default.nix:1:1: error: split-outputs: refused:"
        ),
        "{}",
        e.stderr
    );
    assert!(
        e.stderr
            .contains("refused: ../hosts/default.nix already exists"),
        "{}",
        e.stderr
    );

    // A syntax error with --flake from another directory.
    let broken = broken_flake();
    let outside = tempfile::tempdir().unwrap();
    let nested = broken.path().join("nested");
    std::fs::create_dir(&nested).unwrap();
    let e = run(&nested, &["apply", "split-outputs", "--flake", ".."]).expect(2);
    assert!(
        e.stderr.starts_with("../flake.nix:3:9: error: "),
        "{}",
        e.stderr
    );
    // Outside the repository and above nothing of it: absolute.
    let e = run(
        outside.path(),
        &[
            "apply",
            "split-outputs",
            "--flake",
            broken.path().to_str().unwrap(),
        ],
    )
    .expect(2);
    let abs = broken.path().canonicalize().unwrap().join("flake.nix");
    assert!(
        e.stderr
            .starts_with(&format!("{}:3:9: error: ", abs.display())),
        "{}",
        e.stderr
    );

    // review's text format.
    std::fs::remove_dir_all(dir.join("hosts")).unwrap();
    let review = run(&sub, &["review", "--fail-on", "never"]).expect(0);
    assert!(review.stdout.contains("../flake.nix:"), "{}", review.stdout);
    assert!(
        !review.stdout.contains("\n flake.nix:"),
        "{}",
        review.stdout
    );
}

// ---------------------------------------------------------------------------
// Diagnostics and colour
// ---------------------------------------------------------------------------

#[test]
fn codemod_warnings_are_warnings() {
    let dir = plain_copy(&hybrid());
    let r = run(
        &dir.path().join("home-modules"),
        &["apply", "drop-osconfigfor", "--allow-breaking"],
    )
    .expect(0);
    assert!(
        r.stderr
            .contains("editors/neovim.nix:3:32: warning: will fail without the argument:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("shell/bash.nix:3:22: note: guarded read, keeps working:"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("note: warning:"), "{}", r.stderr);
}

#[test]
fn diagnostics_have_prefixes_and_colour_only_when_asked() {
    let dir = broken_flake();
    let plain = run(dir.path(), &["apply", "split-outputs"]).expect(2);
    assert!(
        plain.stderr.starts_with("flake.nix:3:9: error: "),
        "{}",
        plain.stderr
    );
    assert!(!plain.stderr.contains('\x1b'));

    let coloured = run(dir.path(), &["apply", "split-outputs", "--color", "always"]).expect(2);
    assert!(coloured.stderr.contains("\x1b["), "{:?}", coloured.stderr);
    assert!(coloured.stderr.contains("error"), "{}", coloured.stderr);

    let never = run(dir.path(), &["review", "--color", "never"]).expect(2);
    assert!(!never.stderr.contains('\x1b'));
    let always = run(dir.path(), &["review", "--color", "always"]).expect(2);
    assert!(always.stderr.contains("\x1b["), "{:?}", always.stderr);

    // Not on a pipe with auto.
    let empty = tempfile::tempdir().unwrap();
    let r = run(empty.path(), &["apply", "split-outputs"]).expect(2);
    assert!(r.stderr.starts_with("error: no flake.nix"), "{}", r.stderr);

    // review's text findings are coloured with --color always only.
    let hybrid = plain_copy(&hybrid());
    let r = run(
        hybrid.path(),
        &["review", "--color", "always", "--fail-on", "never"],
    )
    .expect(0);
    assert!(r.stdout.contains("\x1b["), "no colour in review text");
    let r = run(hybrid.path(), &["review", "--fail-on", "never"]).expect(0);
    assert!(!r.stdout.contains('\x1b'));
}

// ---------------------------------------------------------------------------
// Commit identity
// ---------------------------------------------------------------------------

/// The binary with no git identity anywhere: an empty HOME, no system or
/// global config, no identity variables.
fn without_identity(dir: &Path, home: &Path, args: &[&str]) -> Run {
    let mut cmd = bin(dir);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("EMAIL")
        .args(args);
    finish(&mut cmd)
}

#[test]
fn branch_without_an_identity_is_refused_unless_author_is_given() {
    let repo = repo_with(&hybrid());
    let dir = repo.path();
    let home = tempfile::tempdir().unwrap();
    let r = without_identity(dir, home.path(), &["apply", "split-outputs", "--branch"]).expect(2);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(
        r.stderr.contains("git config user.name \"Your Name\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("git config user.email \"you@example.com\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--author"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        git(dir, &["branch", "--format=%(refname:short)"]),
        "main\n",
        "no branch was created"
    );

    // --author supplies it.
    let r = without_identity(
        dir,
        home.path(),
        &[
            "apply",
            "split-outputs",
            "--branch",
            "--author",
            "Ada Lovelace <ada@example.org>",
        ],
    )
    .expect(0);
    assert!(r.stderr.contains("committed"), "{}", r.stderr);
    let who = git(
        dir,
        &[
            "log",
            "-1",
            "--format=%an <%ae>|%cn <%ce>",
            "flake-refactor/split-outputs",
        ],
    );
    assert_eq!(
        who.trim(),
        "Ada Lovelace <ada@example.org>|Ada Lovelace <ada@example.org>"
    );

    // With an identity in the repository's config, it is used.
    git(dir, &["config", "user.name", "Repo Person"]);
    git(dir, &["config", "user.email", "repo@example.org"]);
    without_identity(
        dir,
        home.path(),
        &["apply", "split-outputs", "--branch", "from-config"],
    )
    .expect(0);
    let who = git(dir, &["log", "-1", "--format=%an <%ae>", "from-config"]);
    assert_eq!(who.trim(), "Repo Person <repo@example.org>");
}
