//! `flake-refactor review`: the findings on `examples/hybrid` (the issues of
//! the hand-written architecture review, at their lines), the flakes of
//! `tests/review/` (each finding shown, and clean flakes with no finding at
//! all), git tracking, robustness, the four formats (snapshots in
//! `snapshots/`, SARIF checked against the 2.1.0 structure), and the CLI's
//! exit codes.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use flake_refactor::review::{self, render, FailOn, Finding, Options, Report, Rule, Severity};
use flake_refactor::workspace::Workspace;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn flake(name: &str) -> PathBuf {
    fixture(&format!("tests/review/{name}"))
}

/// A temporary copy of `tree` (not a git repository).
fn copy(tree: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(tree, dir.path());
    dir
}

fn review_in(root: &Path, options: &Options) -> Report {
    review::review(&Workspace::new(root), Path::new("flake.nix"), options).unwrap()
}

/// Review a copy of `tree` with `options`.
fn review_tree(tree: &Path, options: &Options) -> Report {
    let dir = copy(tree);
    review_in(dir.path(), options)
}

fn review_flake(name: &str) -> Report {
    review_tree(&flake(name), &Options::default())
}

fn hybrid_options() -> Options {
    Options {
        flake_arg: Some("examples/hybrid".into()),
        ..Options::default()
    }
}

fn hybrid() -> Report {
    review_tree(&fixture("examples/hybrid"), &hybrid_options())
}

fn ids(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule.id()).collect()
}

fn find(r: &Report, rule: Rule) -> &Finding {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {} in {:#?}", rule.id(), r.findings))
}

/// `line:col` of every span of a finding.
fn starts(f: &Finding) -> Vec<String> {
    f.spans
        .iter()
        .map(|s| format!("{}:{}", s.start.line, s.start.col))
        .collect()
}

/// `file:line-line` of every span of a finding.
fn lines(f: &Finding) -> Vec<String> {
    f.spans
        .iter()
        .map(|s| format!("{}:{}-{}", s.file.display(), s.start.line, s.end.line))
        .collect()
}

// ---------------------------------------------------------------------------
// examples/hybrid: the review's "Issues & Improvement Opportunities"
// ---------------------------------------------------------------------------

#[test]
fn hybrid_has_each_issue_of_the_review_at_its_lines() {
    let r = hybrid();
    assert_eq!(
        ids(&r),
        ["FR008", "FR001", "FR003", "FR002", "FR009", "FR004", "FR006", "FR005"],
        "{:#?}",
        r.findings
    );

    // Issue 1: inconsistent use of mkSystem: hetzner-sway and m1 bypass it.
    let f = find(&r, Rule::HelperBypassed);
    assert_eq!(starts(f), ["128:9", "164:9", "96:7"]);
    assert_eq!(
        lines(f),
        ["flake.nix:128-160", "flake.nix:164-200", "flake.nix:96-122"]
    );
    assert!(f.message.contains("hetzner-sway and m1"), "{}", f.message);
    assert!(f.message.contains("mkSystem"));
    assert_eq!(f.codemod, Some("use-mksystem"));

    // Issue 2: large monolithic flake.nix.
    let f = find(&r, Rule::MonolithicFlake);
    // The size of the outputs function, not of the file (327 lines).
    assert!(
        f.message
            .contains("outputs function of flake.nix has 291 lines"),
        "{}",
        f.message
    );
    assert_eq!(lines(f), ["flake.nix:36-326"]);
    assert_eq!(f.codemod, Some("split-outputs"));

    // Issue 3: duplicate Home Manager integration code, three copies.
    let f = find(&r, Rule::HomeManagerRepeated);
    assert_eq!(
        lines(f),
        [
            "flake.nix:110-119",
            "flake.nix:148-157",
            "flake.nix:185-197"
        ]
    );
    assert_eq!(starts(f), ["110:15", "148:15", "185:15"]);
    assert!(f.spans[0].label.as_deref().unwrap().contains("in mkSystem"));

    // Issue 4: homeConfigurations partially redundant: alice, not ops or mac.
    let f = find(&r, Rule::RedundantStandaloneHome);
    assert_eq!(starts(f), ["237:9", "118:17", "156:17", "196:17"]);
    assert!(f.message.contains("homeConfigurations.alice"));
    assert!(
        f.message.contains("hetzner-sway, m1 and builder"),
        "{}",
        f.message
    );
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.rule == Rule::RedundantStandaloneHome)
            .count(),
        1
    );

    // Issue 5: manual osConfig simulation (osConfigFor, currentSystem).
    let f = find(&r, Rule::StandaloneReadsNixos);
    assert_eq!(lines(f)[0], "flake.nix:237-245");
    assert_eq!(lines(f)[1], "flake.nix:248-256");
    assert!(
        lines(f).contains(&"flake.nix:87-89".to_string()),
        "{:?}",
        lines(f)
    );
    assert!(lines(f).contains(&"flake.nix:92-92".to_string()));
    assert!(f.message.contains("osConfigFor"));
    assert!(
        !f.message.contains("mac"),
        "mac has no osConfig: {}",
        f.message
    );
    assert_eq!(f.codemod, Some("drop-osconfigfor"));

    // Issue 6: no flake-parts: per-system outputs by hand.
    let f = find(&r, Rule::HandWrittenPerSystem);
    assert_eq!(starts(f), ["271:7", "276:7", "301:7", "322:7"]);
    assert_eq!(f.severity(), Severity::Info);

    // Beyond the review's list: the copied metadata module, and no flake.lock.
    let f = find(&r, Rule::RepeatedBlock);
    assert_eq!(lines(f), ["flake.nix:137-144", "flake.nix:174-181"]);
    let f = find(&r, Rule::LockMissing);
    assert!(f.message.contains("missing"));
}

#[test]
fn hybrid_overview_and_practices() {
    let r = hybrid();
    let o = &r.overview;
    assert_eq!(o.flake_lines, 327);
    let confs: Vec<String> = o
        .configurations
        .iter()
        .map(|c| format!("{}.{}", c.output, c.name.clone().unwrap()))
        .collect();
    assert_eq!(
        confs,
        [
            "nixosConfigurations.hetzner-sway",
            "nixosConfigurations.m1",
            "nixosConfigurations.builder",
            "homeConfigurations.alice",
            "homeConfigurations.ops",
            "homeConfigurations.mac"
        ]
    );
    assert_eq!(
        o.configurations[2].built_with,
        review::BuiltWith::Helper("mkSystem".into())
    );
    // configurations/builder.nix, reached through mkSystem's `./configurations/${hostname}.nix`.
    assert_eq!(o.modules.system_total(), 7);
    assert_eq!(o.modules.home_total(), 6);
    let home: Vec<(String, usize)> = o
        .modules
        .home
        .iter()
        .map(|d| (d.dir.clone(), d.files))
        .collect();
    assert_eq!(home, [(".".into(), 3), ("home-modules/".into(), 3)]);
    let follows: Vec<(&str, &review::NixpkgsUse)> = o
        .inputs
        .iter()
        .map(|i| (i.name.as_str(), &i.nixpkgs))
        .collect();
    assert_eq!(
        follows[2],
        (
            "home-manager",
            &review::NixpkgsUse::Follows("nixpkgs".into())
        )
    );
    assert_eq!(follows[3], ("nix-darwin", &review::NixpkgsUse::NotFollowed));
    assert_eq!(
        o.systems,
        ["aarch64-darwin", "aarch64-linux", "x86_64-linux"]
    );
    let titles: Vec<&str> = r.done_well.iter().map(|p| p.title.as_str()).collect();
    assert!(titles.contains(&"Inputs follow nixpkgs"));
    assert!(titles.contains(&"Home Manager shares the system's nixpkgs"));
    assert!(titles.contains(&"Build metadata tracking"));
    // Recommendations: by priority (the hand review's order: structure
    // first, hygiene last), with the commands.
    let recs = r.recommendations();
    assert_eq!(recs[0].rule, Rule::MonolithicFlake);
    assert_eq!(recs.last().unwrap().rule, Rule::LockMissing);
    assert_eq!(
        recs.iter()
            .find(|x| x.rule == Rule::MonolithicFlake)
            .unwrap()
            .command
            .as_deref(),
        Some("flake-refactor apply split-outputs --flake examples/hybrid")
    );
    // drop-osconfigfor refuses here (neovim.nix reads osConfig unguarded):
    // the review says so, and leaves it out of the combined command.
    let drop = recs
        .iter()
        .find(|x| x.rule == Rule::StandaloneReadsNixos)
        .unwrap();
    assert!(
        matches!(&drop.trial, Some(flake_refactor::review::Trial::Refuses(why)) if why.contains("without a guard")),
        "{:?}",
        drop.trial
    );
    let split = recs
        .iter()
        .find(|x| x.rule == Rule::MonolithicFlake)
        .unwrap();
    assert_eq!(split.trial, Some(flake_refactor::review::Trial::Changes(6)));
    // FR002 names use-mksystem, which is available and would rewrite flake.nix.
    let helper = recs
        .iter()
        .find(|x| x.rule == Rule::HelperBypassed)
        .unwrap();
    assert_eq!(
        helper.trial,
        Some(flake_refactor::review::Trial::Changes(1))
    );
    // extract-home-manager is available: FR003 names it and it joins the
    // combined command.
    let hm = recs
        .iter()
        .find(|x| x.rule == Rule::HomeManagerRepeated)
        .unwrap();
    assert_eq!(hm.trial, Some(flake_refactor::review::Trial::Changes(1)));
    // FR005: the flake-parts codemod exists and would change flake.nix.
    let parts = recs
        .iter()
        .find(|x| x.rule == Rule::HandWrittenPerSystem)
        .unwrap();
    assert_eq!(parts.trial, Some(flake_refactor::review::Trial::Changes(1)));
    assert!(flake_refactor::review::codemod_available("flake-parts"));
    assert_eq!(
        r.combined_command().as_deref(),
        Some("flake-refactor apply split-outputs use-mksystem extract-home-manager flake-parts --flake examples/hybrid")
    );
}

#[test]
fn max_lines_is_a_threshold() {
    let r = review_tree(
        &fixture("examples/hybrid"),
        &Options {
            max_lines: 400,
            ..Options::default()
        },
    );
    assert!(!ids(&r).contains(&"FR001"));
    let r = review_tree(
        &flake("osconfig-direct"),
        &Options {
            max_lines: 10,
            ..Options::default()
        },
    );
    assert_eq!(ids(&r), ["FR001", "FR004"]);
}

// ---------------------------------------------------------------------------
// Clean flakes: no finding at all
// ---------------------------------------------------------------------------

fn assert_clean(name: &str) -> Report {
    let r = review_flake(name);
    assert!(
        r.findings.is_empty(),
        "{name} should have no findings:\n{}",
        render::render(&r, render::Format::Text).unwrap()
    );
    assert!(!r.fails(FailOn::Info));
    r
}

fn practices(r: &Report) -> String {
    r.done_well
        .iter()
        .map(|p| format!("{}: {}", p.title, p.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn clean_helper_used_by_every_host() {
    let r = assert_clean("clean-helper");
    let p = practices(&r);
    assert!(
        p.contains("Every nixosConfigurations entry goes through mkHost"),
        "{p}"
    );
    assert!(p.contains("flake.lock confirms it: 1 nixpkgs node"), "{p}");
    assert!(
        p.contains("Home Manager shares the system's nixpkgs"),
        "{p}"
    );
}

#[test]
fn clean_home_manager_configured_once() {
    let r = assert_clean("clean-hm-module");
    let p = practices(&r);
    assert!(
        p.contains("Home Manager integration configured once: One module sets it up for kestrel and merlin"),
        "{p}"
    );
    // The Mac profile shares home/shell.nix with the hosts, but is its own module.
    assert_eq!(r.overview.modules.home_total(), 4);
}

#[test]
fn clean_flake_parts() {
    let r = assert_clean("clean-flake-parts");
    assert!(r.overview.flake_parts);
    assert!(practices(&r).contains("flake-parts"));
}

#[test]
fn clean_follows_everywhere_with_one_nixpkgs_in_the_lock() {
    let r = assert_clean("clean-follows");
    assert_eq!(r.overview.nixpkgs_nodes, Some(1));
    let uses: Vec<String> = r
        .overview
        .inputs
        .iter()
        .map(|i| format!("{} {:?}", i.name, i.nixpkgs))
        .collect();
    assert_eq!(
        uses,
        [
            "nixpkgs IsNixpkgs",
            "nix-darwin Follows(\"nixpkgs\")",
            "home-manager Follows(\"nixpkgs\")",
            "sops-nix Follows(\"nixpkgs\")",
            "nix-homebrew NoNixpkgsInput"
        ]
    );
    assert!(practices(&r).contains("Every darwinConfigurations entry goes through mkMac"));
}

// ---------------------------------------------------------------------------
// One flake per finding
// ---------------------------------------------------------------------------

#[test]
fn unused_helper() {
    let r = review_flake("unused-helper");
    assert_eq!(ids(&r), ["FR002"]);
    let f = &r.findings[0];
    assert_eq!(starts(f), ["7:7", "13:7", "18:7"]);
    assert_eq!(
        f.message,
        "mkMachine wraps nixosSystem but nothing uses it: ledger and quill call nixpkgs.lib.nixosSystem directly"
    );
}

#[test]
fn home_manager_blocks_in_host_files_and_a_redundant_standalone_profile() {
    let r = review_flake("hm-blocks-in-hosts");
    assert_eq!(ids(&r), ["FR006", "FR003"]);
    let f = find(&r, Rule::HomeManagerRepeated);
    assert_eq!(lines(f), ["hosts/atlas.nix:4-8", "hosts/boreas.nix:3-5"]);
    assert!(f.message.contains("useGlobalPkgs in each"), "{}", f.message);
    let f = find(&r, Rule::RedundantStandaloneHome);
    assert_eq!(
        lines(f),
        [
            "flake.nix:20-23",
            "hosts/atlas.nix:7-7",
            "hosts/boreas.nix:5-5"
        ]
    );
    assert!(f.message.contains("atlas and boreas"), "{}", f.message);
}

#[test]
fn standalone_home_reads_a_nixos_configuration_directly() {
    let r = review_flake("osconfig-direct");
    assert_eq!(ids(&r), ["FR004"]);
    let f = &r.findings[0];
    assert_eq!(starts(f), ["16:5", "17:39", "18:35"]);
    let labels: Vec<&str> = f.spans.iter().filter_map(|s| s.label.as_deref()).collect();
    assert_eq!(
        labels[1..],
        [
            "builtins.currentSystem",
            "self.nixosConfigurations.tower.config"
        ]
    );
    assert_eq!(f.codemod, Some("drop-osconfigfor"));
}

#[test]
fn per_system_outputs_with_flake_utils() {
    let r = review_flake("flake-utils");
    assert_eq!(ids(&r), ["FR005"]);
    let f = &r.findings[0];
    assert_eq!(lines(f), ["flake.nix:14-14", "flake.nix:16-22"]);
    assert!(f.message.contains("eachDefaultSystem"));
}

#[test]
fn inputs_with_their_own_nixpkgs_in_the_lock() {
    let r = review_flake("own-nixpkgs");
    assert_eq!(ids(&r), ["FR007", "FR007"]);
    let agenix = &r.findings[0];
    assert!(agenix
        .message
        .starts_with("input agenix brings its own nixpkgs (flake.lock node nixpkgs_2)"));
    assert!(agenix
        .message
        .contains("`inputs.agenix.inputs.nixpkgs.follows = \"nixpkgs\";`"));
    assert_eq!(lines(agenix), ["flake.nix:4-4", "flake.lock:98-98"]);
    let deploy = &r.findings[1];
    assert!(deploy.message.contains("deploy-rs"));
    assert_eq!(r.overview.nixpkgs_nodes, Some(3));
}

#[test]
fn own_nixpkgs_on_another_line_names_no_codemod_it_would_not_apply() {
    // agenix and deploy-rs follow nixpkgs-unstable, the flake nixos-24.11:
    // add-follows leaves them alone without --input, so FR007 does not
    // recommend it and says how to make them follow anyway.
    let r = review_flake("own-nixpkgs");
    for f in &r.findings {
        // FR007 is hygiene: info.
        assert_eq!(f.severity(), Severity::Info);
        assert_eq!(f.codemod, None, "{}", f.message);
        assert!(
            f.message.contains("(it follows the unstable line, while the flake's nixpkgs follows release 24.11: check that the input works with the flake's nixpkgs, then `flake-refactor apply add-follows --input "),
            "{}",
            f.message
        );
    }
    assert!(!r.trials.contains_key("add-follows"));
}

#[test]
fn nixpkgs_pinned_on_purpose_are_info_with_the_reason() {
    // haskell.nix's nixpkgs-2305/nixpkgs-2311 test old releases, Nix's
    // nixpkgs-regression reproduces a regression at a fixed commit:
    // following the flake's nixpkgs would defeat them.
    let r = review_flake("pinned-nixpkgs");
    assert_eq!(ids(&r), ["FR007", "FR007"]);
    assert!(!r.fails(FailOn::Warning));
    for f in &r.findings {
        assert_eq!(f.severity(), Severity::Info);
        assert_eq!(f.codemod, None);
    }
    let haskell = &r.findings[0];
    assert_eq!(
        haskell.message,
        "input haskellNix brings its own nixpkgs (flake.lock node nixpkgs-2305 and nixpkgs-2311), which it pins on purpose (its input name `nixpkgs-2305` names release 23.05 (a version or test pin); its input name `nixpkgs-2311` names release 23.11 (a version or test pin)); following the flake's nixpkgs would defeat the pin, so leave it"
    );
    assert_eq!(
        lines(haskell),
        ["flake.nix:4-7", "flake.lock:63-63", "flake.lock:79-79"]
    );
    assert_eq!(
        haskell.spans[1].label.as_deref(),
        Some("lock node nixpkgs-2305 (haskellNix → nixpkgs-2305), pinned on purpose")
    );
    let nix = &r.findings[1];
    assert!(
        nix.message.starts_with("input nix brings its own nixpkgs (flake.lock node nixpkgs-regression), which it pins on purpose (its input name `nixpkgs-regression` marks a nixpkgs kept for regression tests)"),
        "{}",
        nix.message
    );
    // Nothing for add-follows to do, so nothing recommends it.
    assert!(r.combined_command().is_none());
}

#[test]
fn a_nixpkgs_flake_nix_overrides_itself_is_info() {
    // `agenix.inputs.nixpkgs.url = ...`: chosen in flake.nix, so add-follows
    // leaves it and review does not recommend it.
    let r = review_tree(
        &fixture("codemods/add-follows/cases/overridden-on-purpose/before"),
        &Options::default(),
    );
    assert_eq!(ids(&r), ["FR007"]);
    let f = &r.findings[0];
    assert_eq!(f.severity(), Severity::Info);
    assert_eq!(f.codemod, None);
    assert!(
        f.message
            .contains("(flake.nix sets `inputs.agenix.inputs.nixpkgs.url` itself)"),
        "{}",
        f.message
    );
}

#[test]
fn add_follows_leaves_no_fr007_for_the_inputs_it_handles() {
    let cases = fixture("codemods/add-follows/cases");
    let mut checked = 0;
    for case in std::fs::read_dir(&cases).unwrap() {
        let case = case.unwrap().path();
        let Some(flake_dir) = find_flake(&case.join("after")) else {
            continue;
        };
        let rel = flake_dir
            .strip_prefix(case.join("after"))
            .unwrap()
            .join("flake.nix");
        let review_side = |side: &str| {
            let dir = copy(&case.join(side));
            review::review(&Workspace::new(dir.path()), &rel, &Options::default()).unwrap()
        };
        let (before, after) = (review_side("before"), review_side("after"));
        let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let explicit: Vec<&str> = args
            .split_whitespace()
            .skip_while(|w| *w != "--input")
            .nth(1)
            .map(|v| v.split(',').collect())
            .unwrap_or_default();
        // Before: review recommends add-follows (or --input names the input).
        let handled: Vec<String> = before
            .findings
            .iter()
            .filter(|f| f.rule == Rule::InputWithoutFollows)
            .filter(|f| {
                f.codemod == Some("add-follows")
                    || explicit
                        .iter()
                        .any(|x| f.message.starts_with(&format!("input {x} ")))
            })
            .map(|f| f.message.split(' ').nth(1).unwrap().to_string())
            .collect();
        assert!(!handled.is_empty(), "{}", case.display());
        if explicit.is_empty() {
            assert!(
                matches!(
                    before.trials.get("add-follows"),
                    Some(review::Trial::Changes(_))
                ),
                "{}: {:?}",
                case.display(),
                before.trials
            );
        }
        // What remains is on another line, pinned or deep (no codemod), and
        // nothing about the inputs named with --input.
        for f in after
            .findings
            .iter()
            .filter(|f| f.rule == Rule::InputWithoutFollows)
        {
            assert_ne!(
                f.codemod,
                Some("add-follows"),
                "{}: {}",
                case.display(),
                f.message
            );
            for x in &explicit {
                assert!(
                    !f.message.starts_with(&format!("input {x} ")),
                    "{}: {}",
                    case.display(),
                    f.message
                );
            }
        }
        assert!(
            !matches!(
                after.trials.get("add-follows"),
                Some(review::Trial::Changes(_))
            ),
            "{}",
            case.display()
        );
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn broken_modules_are_findings_not_errors() {
    let r = review_flake("broken-modules");
    assert_eq!(ids(&r), ["FR011", "FR011", "FR010"]);
    assert_eq!(
        r.findings[0].message,
        "hosts/cinder-hardware.nix does not exist"
    );
    assert_eq!(starts(&r.findings[0]), ["9:9"]);
    assert_eq!(
        r.findings[1].message,
        "hosts/cinder.nix imports modules/old-vpn.nix, which does not exist"
    );
    let f = &r.findings[2];
    assert_eq!(lines(f), ["modules/net.nix:3-3"]);
    assert!(f.message.contains("syntax error"), "{}", f.message);
    assert!(r.fails(FailOn::Error));
}

#[test]
fn copied_blocks() {
    let r = review_flake("copied-blocks");
    assert_eq!(ids(&r), ["FR009"]);
    let f = &r.findings[0];
    assert_eq!(lines(f), ["flake.nix:10-21", "flake.nix:29-38"]);
    assert!(f.message.contains("identical copies"), "{}", f.message);
    // Fewer lines than the threshold: nothing to report.
    let r = review_tree(
        &flake("copied-blocks"),
        &Options {
            min_duplicate_lines: 13,
            ..Options::default()
        },
    );
    assert!(r.findings.is_empty());
}

// ---------------------------------------------------------------------------
// flake.lock and git
// ---------------------------------------------------------------------------

#[test]
fn untracked_lock_and_modules_in_a_git_repository() {
    let dir = copy(&flake("clean-helper"));
    let root = dir.path();
    common::git(root, &["init", "-q", "-b", "main"]);
    for p in ["flake.nix", "hosts", "modules/common.nix", "home"] {
        common::git(root, &["add", p]);
    }
    let r = review_in(root, &Options::default());
    assert_eq!(ids(&r), ["FR008", "FR011"], "{:#?}", r.findings);
    assert_eq!(
        r.findings[0].message,
        "flake.lock is not tracked by git, so the flake cannot see it"
    );
    assert_eq!(
        r.findings[1].message,
        "modules/nix-settings.nix is not tracked by git, so the flake cannot see it"
    );
    assert_eq!(r.overview.lock, review::LockState::Untracked);

    common::git(root, &["add", "-A"]);
    let r = review_in(root, &Options::default());
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.overview.lock, review::LockState::Tracked);
    assert!(practices(&r).contains("flake.lock is tracked by git"));
}

#[test]
fn an_untracked_flake_is_one_finding() {
    let dir = copy(&flake("clean-helper"));
    common::git(dir.path(), &["init", "-q", "-b", "main"]);
    let r = review_in(dir.path(), &Options::default());
    let modules: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::ModuleMissing)
        .collect();
    assert_eq!(modules.len(), 1, "{:#?}", r.findings);
    assert!(modules[0]
        .message
        .starts_with("flake.nix is not tracked by git"));
}

#[test]
fn unreadable_lock() {
    let dir = copy(&flake("clean-helper"));
    std::fs::write(dir.path().join("flake.lock"), "{ \"nodes\": ").unwrap();
    let r = review_in(dir.path(), &Options::default());
    assert_eq!(ids(&r), ["FR008"]);
    assert!(r.findings[0]
        .message
        .starts_with("flake.lock cannot be read: "));
}

#[test]
fn fixtures_are_valid_nix_except_the_broken_module() {
    if !common::nix_available() {
        return;
    }
    let failures: Vec<String> = common::nix_parse_all(&fixture("tests/review"))
        .into_iter()
        .filter(|f| !f.starts_with("broken-modules/modules/net.nix"))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    let broken = common::nix_parse_all(&flake("broken-modules"));
    assert_eq!(broken.len(), 1, "{broken:?}");
}

// ---------------------------------------------------------------------------
// Robustness: fewer findings, never a crash
// ---------------------------------------------------------------------------

#[test]
fn shapes_it_cannot_follow_yield_fewer_findings() {
    let r = review_flake("odd-shapes");
    assert_eq!(ids(&r), ["FR008"]);
    // Followed into outputs/default.nix: one generated set of hosts (readDir), names unknown.
    let confs: Vec<_> = r
        .overview
        .configurations
        .iter()
        .map(|c| (c.output.as_str(), c.name.clone()))
        .collect();
    assert_eq!(confs, [("nixosConfigurations", None)]);
    assert_eq!(r.overview.inputs.len(), 2);
}

#[test]
fn every_codemod_case_can_be_reviewed() {
    let mut reviewed = 0;
    for codemod in std::fs::read_dir(fixture("codemods")).unwrap() {
        let cases = codemod.unwrap().path().join("cases");
        let Ok(cases) = std::fs::read_dir(cases) else {
            continue;
        };
        for case in cases {
            let case = case.unwrap().path();
            for side in ["before", "after"] {
                let tree = case.join(side);
                let Some(flake_dir) = find_flake(&tree) else {
                    continue;
                };
                let dir = copy(&tree);
                let rel = flake_dir.strip_prefix(&tree).unwrap().join("flake.nix");
                let r = review::review(&Workspace::new(dir.path()), &rel, &Options::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", tree.display()));
                for format in [
                    render::Format::Text,
                    render::Format::Markdown,
                    render::Format::Json,
                    render::Format::Sarif,
                ] {
                    render::render(&r, format).unwrap();
                }
                reviewed += 1;
            }
        }
    }
    assert!(reviewed >= 20, "{reviewed}");
}

fn find_flake(tree: &Path) -> Option<PathBuf> {
    if tree.join("flake.nix").is_file() {
        return Some(tree.to_path_buf());
    }
    std::fs::read_dir(tree)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.join("flake.nix").is_file())
}

#[test]
fn odd_module_files_are_findings() {
    let dir = copy(&flake("clean-helper"));
    // CRLF line endings, a byte order mark, and a directory without default.nix.
    std::fs::write(
        dir.path().join("modules/nix-settings.nix"),
        "{\r\n  nix.gc.automatic = true;\r\n}\r\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("home/git.nix"),
        "\u{feff}{ programs.git.enable = true; }\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let flake_nix = dir.path().join("flake.nix");
    let text = std::fs::read_to_string(&flake_nix).unwrap();
    std::fs::write(
        &flake_nix,
        text.replace(
            "./modules/common.nix",
            "./modules/common.nix\n            ./empty",
        ),
    )
    .unwrap();
    let r = review_in(dir.path(), &Options::default());
    // The CRLF file parses, as Nix parses it; the BOM is a finding at 1:1.
    assert_eq!(ids(&r), ["FR011", "FR010"], "{:#?}", r.findings);
    assert_eq!(r.findings[0].message, "empty/default.nix does not exist");
    assert!(
        r.findings[1].message.starts_with("home/git.nix: "),
        "{}",
        r.findings[1].message
    );
    assert_eq!(
        (
            r.findings[1].spans[0].start.line,
            r.findings[1].spans[0].start.col
        ),
        (1, 1)
    );
}

#[test]
fn crlf_module_files_are_read_as_nix_reads_them() {
    let dir = copy(&flake("clean-helper"));
    // A CRLF module that imports a file that does not exist: it is parsed
    // and followed, so the missing import is found.
    std::fs::write(
        dir.path().join("modules/nix-settings.nix"),
        "{\r\n  nix.gc.automatic = true;\r\n  imports = [ ./gone.nix ];\r\n}\r\n",
    )
    .unwrap();
    let r = review_in(dir.path(), &Options::default());
    assert!(!ids(&r).contains(&"FR010"), "{:#?}", r.findings);
    let missing = find(&r, Rule::ModuleMissing);
    assert_eq!(
        missing.message,
        "modules/nix-settings.nix imports modules/gone.nix, which does not exist"
    );
    assert_eq!(
        missing.spans[0].file,
        Path::new("modules/nix-settings.nix"),
        "{missing:#?}"
    );
}

#[test]
fn a_flake_nix_that_does_not_parse_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flake.nix"),
        "{\n  outputs = { self }: {\n    x = ;\n  };\n}\n",
    )
    .unwrap();
    let err = review::review(
        &Workspace::new(dir.path()),
        Path::new("flake.nix"),
        &Options::default(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().starts_with("flake.nix:3:9: "), "{err}");
}

#[test]
fn deep_nesting_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // Lists nest without limit in rnix; parentheses hit its recursion limit.
    let deep = format!("{}1{}", "(".repeat(3000), ")".repeat(3000));
    std::fs::write(
        dir.path().join("flake.nix"),
        "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./deep.nix ]; }; }; }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("deep.nix"), &deep).unwrap();
    // The CLI runs analyses on a thread with a large stack; so does this test.
    let root = dir.path().to_path_buf();
    let r = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || review_in(&root, &Options::default()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(ids(&r), ["FR010"], "{:?}", r.findings);
}

// ---------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------

fn rendered(format: render::Format) -> String {
    render::render(&hybrid(), format).unwrap()
}

#[test]
fn snapshots_of_the_four_formats() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("review-hybrid-text", rendered(render::Format::Text));
        insta::assert_snapshot!("review-hybrid-markdown", rendered(render::Format::Markdown));
        insta::assert_snapshot!("review-hybrid-json", rendered(render::Format::Json));
        insta::assert_snapshot!("review-hybrid-sarif", rendered(render::Format::Sarif));
    });
}

#[test]
fn output_is_deterministic() {
    for format in [render::Format::Text, render::Format::Sarif] {
        assert_eq!(rendered(format), rendered(format));
    }
}

#[test]
fn text_lines_are_compiler_style() {
    let text = rendered(render::Format::Text);
    assert!(text.contains(
        "flake.nix:128:9: warning[FR002]: hetzner-sway and m1 call nixpkgs.lib.nixosSystem directly"
    ));
    assert!(text
        .contains("  --> flake.nix:164:9-200:11: m1: built with nixpkgs.lib.nixosSystem directly"));
    assert!(text.contains("8 findings: 0 errors, 5 warnings, 3 info"));
}

#[test]
fn sarif_has_the_2_1_0_structure() {
    use serde_sarif::sarif::Sarif;
    let text = rendered(render::Format::Sarif);
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["version"], "2.1.0");
    assert_eq!(
        raw["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let sarif: Sarif =
        serde_json::from_str(&text).expect("SARIF deserialises into serde-sarif's types");
    assert_eq!(sarif.version, serde_json::json!("2.1.0"));
    assert_eq!(sarif.runs.len(), 1);
    let run = &sarif.runs[0];
    let driver = &run.tool.driver;
    assert_eq!(driver.name, "flake-refactor");
    let rules = driver.rules.as_ref().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let expected: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(rule_ids, expected);
    for rule in rules {
        assert!(rule.short_description.is_some() && rule.full_description.is_some());
        assert!(rule.default_configuration.is_some());
    }
    let report = hybrid();
    let results = run.results.as_ref().unwrap();
    assert_eq!(results.len(), report.findings.len());
    for (result, finding) in results.iter().zip(&report.findings) {
        let id = result.rule_id.as_deref().unwrap();
        assert_eq!(id, finding.rule.id());
        let index = result.rule_index.unwrap() as usize;
        assert_eq!(rules[index].id, id);
        assert!(result
            .message
            .text
            .as_deref()
            .unwrap()
            .starts_with(&finding.message));
        let level = serde_json::to_value(result.level.unwrap()).unwrap();
        let expected = match finding.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(level, expected);
        let locations = result.locations.as_ref().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = locations[0].physical_location.as_ref().unwrap();
        let artifact = physical.artifact_location.as_ref().unwrap();
        let primary = finding.primary().unwrap();
        assert_eq!(
            artifact.uri.as_deref(),
            Some(primary.file.to_str().unwrap())
        );
        assert_eq!(artifact.uri_base_id.as_deref(), Some("%SRCROOT%"));
        let region = physical.region.as_ref().unwrap();
        assert_eq!(region.start_line, Some(primary.start.line as i64));
        assert_eq!(region.start_column, Some(primary.start.col as i64));
        assert_eq!(region.end_line, Some(primary.end.line as i64));
        assert_eq!(region.end_column, Some(primary.end.col as i64));
        let related = result.related_locations.as_ref().map_or(0, Vec::len);
        assert_eq!(related, finding.spans.len() - 1);
    }
}

#[test]
fn json_follows_its_documented_schema() {
    let v: serde_json::Value = serde_json::from_str(&rendered(render::Format::Json)).unwrap();
    assert_eq!(v["version"], render::SCHEMA_VERSION);
    assert_eq!(v["tool"]["name"], "flake-refactor");
    assert_eq!(v["flake"], "flake.nix");
    assert_eq!(v["summary"]["warnings"], 5);
    let f = &v["findings"][3];
    assert_eq!(f["id"], "FR002");
    assert_eq!(f["rule"], "helper-bypassed");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["codemod"], "use-mksystem");
    assert_eq!(f["codemod_available"], true);
    assert_eq!(f["locations"][0]["start"]["line"], 128);
    assert_eq!(f["locations"][0]["start"]["column"], 9);
    assert_eq!(f["locations"][0]["end"]["line"], 160);
    assert!(f["explanation"].as_str().unwrap().len() > 100);
    assert_eq!(v["overview"]["flake_lines"], 327);
    assert_eq!(v["overview"]["lock"]["state"], "missing");
    assert_eq!(v["recommendations"][0]["id"], "FR001");
    // Every documented top-level key, and nothing else.
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "done_well",
            "findings",
            "flake",
            "overview",
            "recommendations",
            "summary",
            "tool",
            "version"
        ]
    );
    let doc = std::fs::read_to_string(fixture("docs/review.md")).unwrap();
    for key in keys {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/review.md does not document `{key}`"
        );
    }
}

#[test]
fn rule_docs_list_every_rule() {
    let doc = std::fs::read_to_string(fixture("docs/review.md")).unwrap();
    for rule in Rule::ALL {
        assert!(
            doc.contains(&format!("| {} | `{}` |", rule.id(), rule.name())),
            "docs/review.md lacks {}",
            rule.id()
        );
    }
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

fn cli() -> Command {
    Command::cargo_bin("flake-refactor").unwrap()
}

#[test]
fn cli_exit_codes_follow_fail_on() {
    let dir = copy(&fixture("examples/hybrid"));
    let run = |args: &[&str]| {
        let out = cli()
            .arg("review")
            .arg("--flake")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    // Warnings: exit 1 by default and with --fail-on info.
    assert_eq!(run(&[]).0, Some(1));
    assert_eq!(run(&["--fail-on", "warning"]).0, Some(1));
    assert_eq!(run(&["--fail-on", "info"]).0, Some(1));
    assert_eq!(run(&["--fail-on", "error"]).0, Some(0));
    assert_eq!(run(&["--fail-on", "never"]).0, Some(0));
    let (code, out) = run(&["--format", "json", "--max-lines", "400"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["id"] != "FR001"));
    let (_, out) = run(&["--format", "markdown"]);
    assert!(out.starts_with("# Flake Architecture Review"));
    let (_, out) = run(&["--format", "sarif"]);
    assert!(out.contains("\"version\": \"2.1.0\""));

    // Only info findings: exit 0 unless --fail-on info.
    let dir = copy(&flake("flake-utils"));
    let code = |args: &[&str]| {
        cli()
            .arg("review")
            .arg("--flake")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "info"]), Some(1));

    // Errors fail even with --fail-on error.
    let dir = copy(&flake("broken-modules"));
    let out = cli()
        .args(["review", "--fail-on", "error", "--flake"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    // A clean flake: exit 0 with --fail-on info.
    let dir = copy(&flake("clean-helper"));
    cli()
        .args(["review", "--fail-on", "info", "--flake"])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn cli_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flake.nix"), "{ outputs = ").unwrap();
    let out = cli()
        .current_dir(dir.path())
        .args(["review", "--flake"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("flake.nix:1:"), "{err}");
    assert!(err.contains(": error: "), "{err}");
    assert!(out.stdout.is_empty());

    let empty = tempfile::tempdir().unwrap();
    let out = cli()
        .args(["review", "--flake"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no flake.nix in this directory"));

    let out = cli().args(["review", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// The same findings before and after split-outputs
// ---------------------------------------------------------------------------

/// Finding ids with their counts, FR001 (flake.nix's size) left out.
fn id_counts(r: &Report) -> std::collections::BTreeMap<&'static str, usize> {
    let mut m = std::collections::BTreeMap::new();
    for f in r
        .findings
        .iter()
        .filter(|f| f.rule != Rule::MonolithicFlake)
    {
        *m.entry(f.rule.id()).or_insert(0) += 1;
    }
    m
}

/// `review` judges the flake, not the file it is written in: on the example
/// and on every split-outputs case, the finding ids and counts (FR001 aside)
/// are the same before and after `apply split-outputs --write`.
#[test]
fn the_same_findings_before_and_after_split_outputs() {
    let mut trees: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    // The example, split for real.
    let example = copy(&fixture("examples/hybrid"));
    let before = review_in(example.path(), &Options::default());
    {
        let codemod = flake_refactor::codemods::find("split-outputs").unwrap();
        let mut ws = Workspace::new(example.path());
        let outcome = flake_refactor::engine::run(
            &mut ws,
            Path::new("flake.nix"),
            &[codemod],
            &flake_refactor::codemods::Options::default(),
        )
        .unwrap();
        assert!(!outcome.changes.is_empty());
        for c in &outcome.changes {
            let p = example.path().join(&c.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c.new.as_ref().unwrap()).unwrap();
        }
    }
    let after = review_in(example.path(), &Options::default());
    assert_eq!(
        id_counts(&before),
        id_counts(&after),
        "examples/hybrid: before {:#?}\nafter {:#?}",
        before.findings,
        after.findings
    );
    assert_eq!(
        before.overview.configurations.len(),
        after.overview.configurations.len()
    );

    // Every split-outputs case with a result (flake.nix at the root).
    let cases = fixture("codemods/split-outputs/cases");
    for case in std::fs::read_dir(&cases).unwrap().flatten() {
        let (b, a) = (case.path().join("before"), case.path().join("after"));
        if a.join("flake.nix").is_file() && b.join("flake.nix").is_file() {
            trees.push((case.file_name().to_string_lossy().into_owned(), b, a));
        }
    }
    trees.sort();
    assert!(trees.len() >= 15, "only {} cases", trees.len());
    let mut failures = Vec::new();
    for (name, b, a) in &trees {
        let before = review_tree(b, &Options::default());
        let after = review_tree(a, &Options::default());
        if id_counts(&before) != id_counts(&after) {
            failures.push(format!(
                "{name}: before {:?}, after {:?}",
                id_counts(&before),
                id_counts(&after)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// The seed flake's shape: the hand review's six issues and its top three
// ---------------------------------------------------------------------------

/// A flake written for the project in the shape the hand review describes:
/// a host helper three hosts bypass, a `mkHome` helper for the standalone
/// homes (module paths passed to it), five Home Manager copies (one inside a
/// `nixos-generators` call), per-system outputs by hand, and a pure-eval
/// `builtins ? currentSystem` fallback.
#[test]
fn the_seed_shape_gets_the_hand_reviews_six_issues_and_top_three() {
    let r = review_flake("seed-shape");
    // Issue 1: mkSystem bypassed.
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == Rule::HelperBypassed && f.message.contains("mkSystem"))
        .expect("FR002 for mkSystem");
    assert!(
        f.message.contains("hetzner-sway, m1 and workvm"),
        "{}",
        f.message
    );
    assert_eq!(starts(f), ["89:9", "112:9", "142:9", "63:7"]);
    // Issue 2: the outputs function is long.
    let f = find(&r, Rule::MonolithicFlake);
    assert_eq!(starts(f), ["20:3"]);
    // Issue 3: five Home Manager copies, the fifth in the installer image.
    let f = find(&r, Rule::HomeManagerRepeated);
    assert!(f.message.contains("configured 5 times"), "{}", f.message);
    assert_eq!(starts(f), ["72:15", "97:15", "121:15", "150:15", "186:17"]);
    // Issue 4: the standalone homes repeat users of the hosts, found
    // through the mkHome helper's module argument.
    let redundant: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::RedundantStandaloneHome)
        .collect();
    assert_eq!(redundant.len(), 2);
    assert!(redundant[0]
        .message
        .contains("homeConfigurations.vp loads home-vp.nix"));
    // Issue 5: osConfigFor, and what the currentSystem fallback really does.
    let f = find(&r, Rule::StandaloneReadsNixos);
    assert!(f.message.contains("osConfigFor"), "{}", f.message);
    assert!(
        f.message
            .contains("silently falls back to \"x86_64-linux\""),
        "{}",
        f.message
    );
    assert!(
        !f.message.contains("fails without --impure"),
        "{}",
        f.message
    );
    // Issue 6: per-system outputs by hand, with the systems each covers.
    let f = find(&r, Rule::HandWrittenPerSystem);
    assert!(
        f.message.contains("devShells (an attribute set keyed by system: x86_64-linux, aarch64-linux, aarch64-darwin)"),
        "{}",
        f.message
    );
    // The hand review's top three: split the outputs, fix the helper,
    // clarify the standalone homes.
    let top: Vec<Rule> = r
        .recommendations()
        .iter()
        .take(3)
        .map(|rec| rec.rule)
        .collect();
    assert_eq!(
        top,
        [
            Rule::MonolithicFlake,
            Rule::HelperBypassed,
            Rule::RedundantStandaloneHome
        ]
    );
    let text = render::render(&r, render::Format::Text).unwrap();
    assert!(
        text.contains("Top 3 priorities:\n  1. Extract the outputs"),
        "{text}"
    );
    let md = render::render(&r, render::Format::Markdown).unwrap();
    assert!(md.contains("**Top 3 priorities:**"), "{md}");
}

// ---------------------------------------------------------------------------
// False alarms
// ---------------------------------------------------------------------------

/// Review a flake written into a temporary directory from (path, text) pairs.
fn review_files(files: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    for (p, c) in files {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, c).unwrap();
    }
    review_in(dir.path(), &Options::default())
}

/// FR002 is about helpers: the flake's own `outputs` function builds hosts
/// too, but it is not a helper, however it is bound or read.
#[test]
fn the_outputs_function_is_not_a_helper() {
    let r = review_files(&[
        (
            "flake.nix",
            r#"rec {
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      inherit (self) outputs;
    in
    {
      nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem {
        modules = [ ./kestrel.nix ];
      };
      checks.x86_64-linux.kestrel = outputs.nixosConfigurations.kestrel.config.system.build.toplevel;
    };
}"#,
        ),
        ("kestrel.nix", "{ ... }: { }"),
    ]);
    assert!(
        !r.findings.iter().any(|f| f.rule == Rule::HelperBypassed),
        "{:#?}",
        r.findings
    );
}

/// FR001 measures the outputs function: a long inputs block (and comments
/// around it) is not what split-outputs moves.
#[test]
fn a_short_outputs_function_with_long_inputs_is_not_monolithic() {
    let mut inputs = String::new();
    for i in 0..60 {
        inputs.push_str(&format!(
            "    # input {i}\n    tool{i} = {{\n      url = \"github:example/tool{i}\";\n      inputs.nixpkgs.follows = \"nixpkgs\";\n    }};\n"
        ));
    }
    let flake = format!(
        "{{\n  inputs = {{\n    nixpkgs.url = \"github:NixOS/nixpkgs/nixos-24.11\";\n{inputs}  }};\n  outputs = {{ self, nixpkgs, ... }}: {{\n    nixosConfigurations.kite = nixpkgs.lib.nixosSystem {{\n      modules = [ ./kite.nix ];\n    }};\n  }};\n}}\n"
    );
    assert!(flake.lines().count() > 300);
    let r = review_files(&[("flake.nix", &flake), ("kite.nix", "{ ... }: { }")]);
    assert!(
        !r.findings.iter().any(|f| f.rule == Rule::MonolithicFlake),
        "{:#?}",
        r.findings
    );
}

/// A finding names a codemod only where its trial run would change
/// something (or says why it refuses): a long outputs function whose
/// outputs are already imported gets FR001 without `apply split-outputs`.
#[test]
fn no_recommendation_of_a_codemod_that_would_do_nothing() {
    let mut helpers = String::new();
    for i in 0..120 {
        helpers.push_str(&format!("      # helper {i}\n      h{i} = x: x + {i};\n"));
    }
    let flake = format!(
        "{{\n  inputs.nixpkgs.url = \"github:NixOS/nixpkgs/nixos-24.11\";\n  outputs = {{ self, nixpkgs, ... }}@inputs:\n    let\n{helpers}    in\n    {{\n      nixosConfigurations = import ./hosts {{ inherit inputs h1; }};\n    }};\n}}\n"
    );
    let r = review_files(&[
        ("flake.nix", &flake),
        (
            "hosts/default.nix",
            "{ inputs, h1 }: { kite = inputs.nixpkgs.lib.nixosSystem { modules = [ ../kite.nix ]; }; }",
        ),
        ("kite.nix", "{ ... }: { }"),
    ]);
    let f = find(&r, Rule::MonolithicFlake);
    assert_eq!(f.codemod, None, "{f:#?}");
    assert!(!r.trials.contains_key("split-outputs"));
    assert!(r.recommendations().iter().all(|rec| rec
        .command
        .as_deref()
        .is_none_or(|c| !c.contains("split-outputs"))));
}

/// A file the outputs import (a helper file, `hosts/default.nix`) with an
/// undefined variable or a duplicate attribute is broken: an error.
#[test]
fn a_helper_file_with_an_undefined_variable_is_an_error() {
    let r = review_files(&[
        (
            "flake.nix",
            r#"{
  outputs = { self, nixpkgs, ... }@inputs: {
    lib = import ./lib { inherit inputs; };
    nixosConfigurations = import ./hosts { inherit inputs self; };
  };
}"#,
        ),
        (
            "lib/default.nix",
            "{ inputs }:\n{\n  mkSystem = name: inputs.nixpkgs.lib.nixosSystem { modules = [ ../hosts/${name}.nix extraModule ]; };\n}\n",
        ),
        (
            "hosts/default.nix",
            "{ inputs, self }:\n{\n  owl = self.lib.mkSystem \"owl\";\n  owl = self.lib.mkSystem \"owl2\";\n}\n",
        ),
        ("hosts/owl.nix", "{ ... }: { }"),
    ]);
    let errors: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::ModuleParseError)
        .collect();
    assert_eq!(errors.len(), 2, "{:#?}", r.findings);
    assert!(errors.iter().all(|f| f.severity() == Severity::Error));
    assert!(errors.iter().any(|f| f
        .message
        .contains("lib/default.nix: undefined variable `extraModule`")));
    assert!(errors
        .iter()
        .any(|f| f.message.starts_with("hosts/default.nix:") && f.message.contains("owl")));
}

/// FR003 and `extract-home-manager` agree: on every case the codemod
/// rewrites, the review finds the integration configured more than once
/// before, and once after (`copies-in-two-files` keeps its helper's copy
/// next to the function on purpose, `odd-one-out` and
/// `odd-one-out-across-files` a block too different from the others, `named-block-left-alone` a block under a `let ... in`).
#[test]
fn fr003_and_extract_home_manager_agree() {
    let cases = fixture("codemods/extract-home-manager/cases");
    let mut seen = 0;
    for case in std::fs::read_dir(&cases).unwrap().flatten() {
        let name = case.file_name().to_string_lossy().into_owned();
        let (b, a) = (case.path().join("before"), case.path().join("after"));
        if !a.join("flake.nix").is_file() {
            continue;
        }
        let count = |dir: &Path| {
            review_tree(dir, &Options::default())
                .findings
                .iter()
                .filter(|f| f.rule == Rule::HomeManagerRepeated)
                .count()
        };
        // FR003 reads modules: settings passed to a helper's one module
        // (`{ home-manager = homeManager; }`) are not copies it sees.
        if name == "settings-passed-to-helper" {
            assert_eq!(count(&b), 0, "{name}: FR003 before");
            assert_eq!(count(&a), 0, "{name}: FR003 after");
            continue;
        }
        assert_eq!(count(&b), 1, "{name}: FR003 before");
        if ![
            "copies-in-two-files",
            "odd-one-out",
            "odd-one-out-across-files",
            "named-block-left-alone",
        ]
        .contains(&name.as_str())
        {
            assert_eq!(count(&a), 0, "{name}: FR003 after");
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} cases");
}

/// FR002's recommendation runs use-mksystem and says when it would refuse.
#[test]
fn helper_bypassed_trial_says_use_mksystem_refuses() {
    let r = review_tree(
        &fixture("codemods/use-mksystem/cases/unreadable-refused/before"),
        &Options::default(),
    );
    let f = find(&r, Rule::HelperBypassed);
    assert_eq!(f.codemod, Some("use-mksystem"));
    let recs = r.recommendations();
    let rec = recs
        .iter()
        .find(|x| x.rule == Rule::HelperBypassed)
        .unwrap();
    assert!(
        matches!(&rec.trial, Some(review::Trial::Refuses(why)) if why.contains("would not read better")),
        "{:?}",
        rec.trial
    );
}

/// After `use-mksystem` and `extract-home-manager`, in either order (and
/// with `split-outputs` and `flake-parts` after them), the example
/// configures Home Manager once: FR003 is gone.
#[test]
fn hybrid_after_use_mksystem_and_extract_home_manager_has_no_fr003() {
    use flake_refactor::codemods;
    assert!(ids(&hybrid()).contains(&"FR003"));
    for order in [
        &["use-mksystem", "extract-home-manager"][..],
        &["extract-home-manager", "use-mksystem"],
        &["split-outputs", "use-mksystem", "extract-home-manager"],
        &[
            "split-outputs",
            "use-mksystem",
            "extract-home-manager",
            "flake-parts",
        ],
    ] {
        let dir = copy(&fixture("examples/hybrid"));
        let chosen: Vec<_> = order.iter().map(|n| codemods::find(n).unwrap()).collect();
        let mut ws = Workspace::new(dir.path());
        let outcome = flake_refactor::engine::run(
            &mut ws,
            Path::new("flake.nix"),
            &chosen,
            &codemods::Options::default(),
        )
        .unwrap_or_else(|e| panic!("{order:?}: {e}"));
        for c in &outcome.changes {
            let p = dir.path().join(&c.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, c.new.as_ref().unwrap()).unwrap();
        }
        let report = review_in(dir.path(), &Options::default());
        assert!(
            !ids(&report).contains(&"FR003"),
            "{order:?}: {}",
            render::render(&report, render::Format::Text).unwrap()
        );
    }
}

/// FR005 on a flake already on flake-parts: after `split-outputs
/// use-mksystem extract-home-manager flake-parts` on the example, devShells
/// and formatter are in perSystem (devShells through devshells/default.nix,
/// now a flake-parts module); packages and checks, on two of the three
/// systems, stay under `flake`. FR005 names no codemod (flake-parts would
/// do nothing), says what remains and how to move it by hand.
#[test]
fn per_system_on_flake_parts_names_what_remains() {
    let example = copy(&fixture("examples/hybrid"));
    let names = [
        "split-outputs",
        "use-mksystem",
        "extract-home-manager",
        "flake-parts",
    ];
    let codemods: Vec<_> = names
        .iter()
        .map(|n| flake_refactor::codemods::find(n).unwrap())
        .collect();
    let mut ws = Workspace::new(example.path());
    let outcome = flake_refactor::engine::run(
        &mut ws,
        Path::new("flake.nix"),
        &codemods,
        &flake_refactor::codemods::Options::default(),
    )
    .unwrap();
    for c in &outcome.changes {
        let p = example.path().join(&c.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, c.new.as_ref().unwrap()).unwrap();
    }
    let flake = std::fs::read_to_string(example.path().join("flake.nix")).unwrap();
    assert!(flake.contains("imports = [ ./devshells ];"), "{flake}");
    let r = review_in(example.path(), &Options::default());
    assert!(r.overview.flake_parts);
    let f = find(&r, Rule::HandWrittenPerSystem);
    assert_eq!(f.codemod, None, "{f:#?}");
    assert!(
        f.message.starts_with("the flake is on flake-parts"),
        "{}",
        f.message
    );
    assert!(f.message.contains("packages ("), "{}", f.message);
    assert!(f.message.contains("checks ("), "{}", f.message);
    assert!(!f.message.contains("devShells"), "{}", f.message);
    assert!(
        f.message.contains(
            "on fewer systems than the flake's (x86_64-linux, aarch64-linux, aarch64-darwin)"
        ),
        "{}",
        f.message
    );
    assert!(f.manual_fix().contains("guarded by the system"));
    assert!(!f.manual_fix().contains("adopt flake-parts"));
    let text = render::render(&r, render::Format::Text).unwrap();
    assert!(!text.contains("apply flake-parts"), "{text}");
    assert!(!text.contains("adopt flake-parts"), "{text}");
    assert!(!r
        .combined_command()
        .is_some_and(|c| c.contains("flake-parts")));
    let rec = r
        .recommendations()
        .into_iter()
        .find(|x| x.rule == Rule::HandWrittenPerSystem)
        .unwrap();
    assert_eq!(rec.command, None);
    assert_eq!(
        rec.action,
        "Consider moving the per-system outputs left under `flake` into perSystem"
    );
    let markdown = render::render(&r, render::Format::Markdown).unwrap();
    assert!(markdown.contains("guarded by the system"), "{markdown}");
    assert!(!markdown.contains("adopt flake-parts"), "{markdown}");
}

/// A flake on flake-parts with every per-system output in perSystem: no FR005.
#[test]
fn no_per_system_finding_when_everything_is_in_per_system() {
    let dir = copy(&fixture(
        "codemods/flake-parts/cases/after-split-outputs/after",
    ));
    // packages and checks (two systems) out, the rest in perSystem.
    let flake = std::fs::read_to_string(dir.path().join("flake.nix")).unwrap();
    let flake = flake
        .replace(
            "      flake.packages = import ./packages { inherit pkgsFor; };\n",
            "",
        )
        .replace(
            "      flake.checks = import ./checks { inherit nixpkgs pkgsFor self; };\n",
            "",
        );
    std::fs::write(dir.path().join("flake.nix"), flake).unwrap();
    let r = review_in(dir.path(), &Options::default());
    assert!(r.overview.flake_parts);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.rule == Rule::HandWrittenPerSystem),
        "{:#?}",
        r.findings
    );
}

/// `mapAttrs mkHost machines // { east = ...; }`: the model follows each
/// operand of `//`, so FR002 sees `east` bypass `mkHost`; use-mksystem
/// leaves a curried helper as it is, and the fix by hand says so instead of
/// "no codemod yet".
#[test]
fn generated_hosts_merged_with_a_bypassing_host() {
    let r = review_flake("generated-and-bypass");
    let bypass: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::HelperBypassed)
        .collect();
    assert_eq!(bypass.len(), 1, "{:#?}", r.findings);
    assert!(
        bypass[0].message.starts_with("east calls"),
        "{}",
        bypass[0].message
    );
    assert!(
        bypass[0].message.contains("north and south"),
        "{}",
        bypass[0].message
    );
    assert_eq!(bypass[0].codemod, None);
    assert!(
        bypass[0].manual_fix().contains(
            "use-mksystem leaves it as it is: `mkHost` takes its arguments one by one (curried)"
        ),
        "{}",
        bypass[0].manual_fix()
    );
}
