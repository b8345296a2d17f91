//! Property: lifting the differences of random host sets into a helper
//! and beta-reducing every call gives back each host, structurally.
//!
//! Hosts are built from one `nixpkgs.lib.nixosSystem { ... }` base with
//! random differences: another `system`, another host path, attributes
//! present in some hosts only, runs of modules inserted at the front, in
//! the middle or at the back of `modules`, a per-host `let` variable, and
//! comments. Both the "new helper" (no defaults, from the shortest host)
//! and the "bypassed helper" (defaults, from the first host) lifts are
//! checked: whenever a lift succeeds, every call it writes reduces to its
//! host ([`prove_call`]), and a refused lift names the hosts it left out.

use std::collections::BTreeMap;

use flake_refactor::syntax::make;
use flake_refactor::unify::helper::prove_call;
use flake_refactor::unify::lift::{lift, LiftOptions};
use proptest::prelude::*;
use rnix::SyntaxNode;

const SYSTEMS: &[&str] = &["x86_64-linux", "aarch64-linux"];
const EXTRA_MODULES: &[&str] = &[
    "./disko.nix",
    "inputs.nur.modules.nixos.default",
    "(import ./overlay.nix { inherit inputs; })",
    "{ boot.isContainer = true; }",
    "./hosts/common/installer.nix",
];
const COMMENTS: &[&str] = &["", " # note", " /* c */"];

#[derive(Debug, Clone)]
struct Host {
    system: usize,
    path: usize,
    disk: usize,
    front: Vec<usize>,
    middle: Vec<usize>,
    back: Vec<usize>,
    special_args: bool,
    time_zone: bool,
    comment: usize,
}

fn host() -> impl Strategy<Value = Host> {
    let run = || prop::collection::vec(0..EXTRA_MODULES.len(), 0..3);
    (
        (0..SYSTEMS.len(), 0..4usize, 0..2usize),
        (run(), run(), run()),
        (any::<bool>(), any::<bool>(), 0..COMMENTS.len()),
    )
        .prop_map(
            |((system, path, disk), (front, middle, back), (special_args, time_zone, comment))| {
                Host {
                    system,
                    path,
                    disk,
                    front,
                    middle,
                    back,
                    special_args,
                    time_zone,
                    comment,
                }
            },
        )
}

fn text(h: &Host) -> String {
    let mut s = format!(
        "let\n    disk = \"{}\";\n  in\n  nixpkgs.lib.nixosSystem {{\n",
        ["/dev/sda", "/dev/nvme0n1"][h.disk]
    );
    s.push_str(&format!("    system = \"{}\";\n", SYSTEMS[h.system]));
    if h.special_args {
        s.push_str("    specialArgs = { inherit inputs; };\n");
    }
    s.push_str("    modules = [\n");
    for &m in &h.front {
        s.push_str(&format!("      {}\n", EXTRA_MODULES[m]));
    }
    s.push_str(&format!(
        "      ./hosts/host{}.nix{}\n",
        h.path, COMMENTS[h.comment]
    ));
    s.push_str("      ./modules\n");
    for &m in &h.middle {
        s.push_str(&format!("      {}\n", EXTRA_MODULES[m]));
    }
    s.push_str("      { boot.loader.grub.device = disk; }\n");
    if h.time_zone {
        s.push_str("      { time.timeZone = \"UTC\"; }\n");
    }
    for &m in &h.back {
        s.push_str(&format!("      {}\n", EXTRA_MODULES[m]));
    }
    s.push_str("    ];\n  }");
    s
}

/// The hosts as the values of one set, as in a flake.
fn parse_all(texts: &[String]) -> (SyntaxNode, Vec<SyntaxNode>) {
    let mut file = String::from("{\n");
    for (i, t) in texts.iter().enumerate() {
        file.push_str(&format!("  h{i} =\n  {t};\n"));
    }
    file.push('}');
    let root = rnix::Root::parse(&file);
    assert!(root.errors().is_empty(), "{file}");
    let root = root.syntax();
    let set = root.first_child().unwrap();
    let values = set.children().filter_map(|e| e.children().nth(1)).collect();
    (root, values)
}

fn check(body: &SyntaxNode, nodes: &[SyntaxNode], defaults: bool) -> Result<bool, TestCaseError> {
    let r = lift(
        body,
        nodes,
        &LiftOptions {
            formals: &[],
            defaults,
            taken: Default::default(),
            unit: "  ",
            host_names: &[],
            body_name: None,
        },
    );
    let l = match r {
        Ok(l) => l,
        Err(outliers) => {
            for o in &outliers {
                prop_assert!(o.host < nodes.len());
                prop_assert!(!o.why.is_empty());
            }
            return Ok(false);
        }
    };
    let formals: Vec<(String, Option<String>)> = l
        .params
        .iter()
        .map(|p| (p.name.clone(), p.default.clone()))
        .collect();
    let lambda = make::function_of_formals(&formals, false, l.body.trim_start(), "", "  ");
    prop_assert!(rnix::Root::parse(&lambda).errors().is_empty(), "{}", lambda);
    for (i, node) in nodes.iter().enumerate() {
        let args: BTreeMap<String, String> = l.hosts[i].args.iter().cloned().collect();
        let proof = prove_call(&lambda, &args, node);
        prop_assert!(
            proof.is_ok(),
            "host {} is not its call: {:?}\n{}\n--- args ---\n{:#?}\n--- host ---\n{}",
            i,
            proof,
            lambda,
            args,
            node
        );
    }
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_call_reduces_to_its_host(hosts in prop::collection::vec(host(), 2..=6)) {
        let texts: Vec<String> = hosts.iter().map(text).collect();
        let (_root, nodes) = parse_all(&texts);
        prop_assert_eq!(nodes.len(), hosts.len());
        // A new helper from the shortest host.
        let base = (0..nodes.len())
            .min_by_key(|&i| nodes[i].text_range().len())
            .unwrap();
        check(&nodes[base], &nodes, false)?;
        // A bypassed helper: the first host's code, with defaults.
        check(&nodes[0], &nodes, true)?;
        // Hosts that differ only in their host path always lift.
        let same: Vec<Host> = hosts
            .iter()
            .map(|h| Host { path: h.path, ..hosts[0].clone() })
            .collect();
        let texts: Vec<String> = same.iter().map(text).collect();
        let (_root, nodes) = parse_all(&texts);
        prop_assert!(check(&nodes[0], &nodes, false)?);
    }
}
