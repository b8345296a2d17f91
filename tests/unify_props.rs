//! Property: anti-unifying random host sets and instantiating the template
//! for each host gives back that host.
//!
//! Hosts are built from one `nixpkgs.lib.nixosSystem { ... }` base with
//! random differences: another `system`, another host path, attributes
//! removed or added, runs of modules inserted at the front, in the middle
//! or at the back of `modules`, a per-host `let` variable read by the
//! body, and comments sprinkled between entries. For every set of 2 to 6
//! hosts, each instantiation parses and is structurally equal (trivia
//! aside) to its host.

use flake_refactor::unify::{equal_modulo_trivia, generalise_all, Binding, HoleKind, Template};
use proptest::prelude::*;
use rnix::SyntaxNode;

const SYSTEMS: &[&str] = &["x86_64-linux", "aarch64-linux", "x86_64-darwin"];
const EXTRA_MODULES: &[&str] = &[
    "./disko.nix",
    "inputs.nur.modules.nixos.default",
    "(import ./overlay.nix { inherit inputs; })",
    "{ boot.isContainer = true; }",
    "{ users.users.${user}.isNormalUser = true; }",
    "./hosts/common/installer.nix",
];
const OPTIONAL: &[(&str, &str)] = &[
    ("pkgs", "import nixpkgs { inherit system; }"),
    ("lib", "nixpkgs.lib"),
    ("\"extraArgs\"", "{ a = 1; b = [ 2 ]; }"),
    ("modulesLocation", "null"),
];
const COMMENTS: &[&str] = &[" ", " # note\n", " /* c */ ", "\n# line comment\n"];

#[derive(Debug, Clone)]
struct Host {
    system: usize,
    path: usize,
    user: usize,
    front: Vec<usize>,
    middle: Vec<usize>,
    back: Vec<usize>,
    optional: Vec<bool>,
    special_args: bool,
    comments: Vec<usize>,
}

fn host() -> impl Strategy<Value = Host> {
    let run = || prop::collection::vec(0..EXTRA_MODULES.len(), 0..3);
    (
        (0..SYSTEMS.len(), 0..3usize, 0..2usize),
        (run(), run(), run()),
        prop::collection::vec(any::<bool>(), OPTIONAL.len()),
        any::<bool>(),
        prop::collection::vec(0..COMMENTS.len(), 8),
    )
        .prop_map(
            |((system, path, user), (front, middle, back), optional, special_args, comments)| {
                Host {
                    system,
                    path,
                    user,
                    front,
                    middle,
                    back,
                    optional,
                    special_args,
                    comments,
                }
            },
        )
}

fn text(h: &Host) -> String {
    let c = |k: usize| COMMENTS[h.comments[k % h.comments.len()]];
    let mut s = String::new();
    s.push_str(&format!(
        "let{}user = \"{}\";\nin\nnixpkgs.lib.nixosSystem {{\n",
        c(0),
        ["alice", "bob"][h.user]
    ));
    s.push_str(&format!("  system = \"{}\"{};\n", SYSTEMS[h.system], c(1)));
    if h.special_args {
        s.push_str(&format!(
            "  specialArgs = {{ inherit inputs user; }};{}\n",
            c(2)
        ));
    }
    for (k, (name, value)) in OPTIONAL.iter().enumerate() {
        if h.optional[k] {
            s.push_str(&format!("  {name} = {value}{};\n", c(3 + k)));
        }
    }
    s.push_str("  modules = [\n");
    let mut push = |m: &str, comment: &str| s.push_str(&format!("    {m}{comment}\n"));
    for &m in &h.front {
        push(EXTRA_MODULES[m], "");
    }
    push(&format!("./hosts/host{}.nix", h.path), c(4));
    push("./modules", "");
    for &m in &h.middle {
        push(EXTRA_MODULES[m], c(5));
    }
    push("inputs.home-manager.nixosModules.home-manager", "");
    push(
        "{ home-manager.users.${user} = import ./home.nix; home-manager.useGlobalPkgs = true; }",
        c(6),
    );
    for &m in &h.back {
        push(EXTRA_MODULES[m], "");
    }
    s.push_str("  ];\n}\n");
    s
}

fn parse(text: &str) -> SyntaxNode {
    let p = rnix::Root::parse(text);
    assert!(
        p.errors().is_empty(),
        "generated host does not parse:\n{text}"
    );
    p.syntax()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_host_is_its_instantiation(hosts in prop::collection::vec(host(), 2..=6)) {
        let texts: Vec<String> = hosts.iter().map(text).collect();
        let nodes: Vec<SyntaxNode> = texts.iter().map(|t| parse(t)).collect();
        let g = generalise_all(&nodes).expect("inputs");
        prop_assert_eq!(g.bindings.len(), nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            prop_assert_eq!(g.bindings[i].len(), g.holes.len());
            let out = g.instantiate_input(i).expect("input");
            let parsed = rnix::Root::parse(&out);
            prop_assert!(parsed.errors().is_empty(), "instantiation {} does not parse:\n{}", i, out);
            prop_assert!(
                equal_modulo_trivia(&parsed.syntax(), node),
                "instantiation {} differs:\n{}\n--- from ---\n{}", i, out, texts[i]
            );
        }
        prop_assert!(g.prove().is_ok());
        // Holes and their bindings agree in kind; names are unique.
        for (h, hole) in g.holes.iter().enumerate() {
            for b in &g.bindings {
                let ok = matches!(
                    (&b[h], hole.kind),
                    (Binding::Seq(_), HoleKind::Sequence(_))
                        | (Binding::Expr(_), HoleKind::Value | HoleKind::Optional)
                        | (Binding::Absent, HoleKind::Optional)
                );
                prop_assert!(ok, "hole {} has a binding of another kind", hole.name);
            }
            prop_assert_eq!(g.holes.iter().filter(|o| o.name == hole.name).count(), 1);
        }
        // Only differences that read the `let`'s `user` (an inserted module,
        // `specialArgs` in some hosts only) can be captured; without them the
        // template keeps the shared structure.
        let reads_user = hosts
            .iter()
            .any(|h| h.front.iter().chain(&h.middle).chain(&h.back).any(|&m| m == 4))
            || hosts.iter().any(|h| h.special_args != hosts[0].special_args);
        if !reads_user {
            prop_assert!(g.captures.is_empty());
            prop_assert!(!matches!(g.template, Template::Hole(_)));
        }
        // Identical hosts give no hole.
        if texts.iter().all(|t| equal_modulo_trivia(&parse(t), &nodes[0])) {
            prop_assert!(g.is_exact());
        }
    }
}
