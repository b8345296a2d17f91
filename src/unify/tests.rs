use super::*;

fn parse(text: &str) -> SyntaxNode {
    let p = rnix::Root::parse(text);
    assert!(p.errors().is_empty(), "{text}: {:?}", p.errors());
    p.syntax()
}

fn gen(texts: &[&str]) -> Generalisation {
    let nodes: Vec<SyntaxNode> = texts.iter().map(|t| parse(t)).collect();
    let g = generalise_all(&nodes).expect("inputs");
    if let Err(i) = g.prove() {
        panic!(
            "input {i} is not its instantiation:\n{}",
            g.instantiate_input(i).unwrap_or_default()
        );
    }
    g
}

fn names(g: &Generalisation) -> Vec<&str> {
    g.holes.iter().map(|h| h.name.as_str()).collect()
}

fn bound(g: &Generalisation, input: usize, hole: &str) -> String {
    let h = g.holes.iter().position(|h| h.name == hole).expect("hole");
    match &g.bindings[input][h] {
        Binding::Expr(n) => n.text().to_string(),
        Binding::Seq(ns) => ns
            .iter()
            .map(|n| n.text().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Binding::Absent => "<absent>".into(),
    }
}

fn host(system: &str, host: &str, extra: &str) -> String {
    format!(
        r#"nixpkgs.lib.nixosSystem {{
  system = "{system}";
  # shared arguments
  specialArgs = {{ inherit inputs self; }};
  modules = [
    ./hosts/{host}.nix
    ./modules
    {extra}
    home-manager.nixosModules.home-manager
  ];
}}"#
    )
}

#[test]
fn equality_ignores_trivia_parens_order_and_quotes() {
    let a = parse("{ a = 1; \"b\" = [ x /* c */ y ]; }");
    let b = parse("{\n  b = [ x y ]; # note\n  a = (1);\n}");
    assert!(equal_modulo_trivia(&a, &b));
    assert!(!equal_modulo_trivia(
        &parse("{ a = 1; }"),
        &parse("rec { a = 1; }")
    ));
    assert!(!equal_modulo_trivia(&parse("[ x y ]"), &parse("[ y x ]")));
    assert!(equal_modulo_trivia(&parse("\"a\\tb\""), &parse("\"a\tb\"")));
}

#[test]
fn identical_inputs_have_no_hole() {
    let g = gen(&[
        &host("x86_64-linux", "a", ""),
        &host("x86_64-linux", "a", ""),
    ]);
    assert!(g.is_exact());
}

#[test]
fn hosts_differing_in_system_and_path() {
    let g = gen(&[
        &host("x86_64-linux", "a", ""),
        &host("aarch64-linux", "b", ""),
    ]);
    assert_eq!(names(&g), ["system", "arg2"]);
    assert_eq!(bound(&g, 1, "system"), "\"aarch64-linux\"");
    assert_eq!(bound(&g, 1, "arg2"), "./hosts/b.nix");
    assert_eq!(
        g.holes[1].path,
        [Step::Child(1), Step::Attr("modules".into()), Step::Elem(0)]
    );
}

#[test]
fn extra_module_after_and_before() {
    let a = host("x86_64-linux", "a", "");
    let after = a.replace(
        "home-manager.nixosModules.home-manager\n",
        "home-manager.nixosModules.home-manager\n    disko.nixosModules.disko\n",
    );
    let g = gen(&[&a, &after]);
    assert_eq!(names(&g), ["extraModules"]);
    assert_eq!(g.holes[0].kind, HoleKind::Sequence(SeqAt::Extra));
    assert_eq!(bound(&g, 0, "extraModules"), "");
    assert_eq!(bound(&g, 1, "extraModules"), "disko.nixosModules.disko");

    let before = a.replace(
        "modules = [",
        "modules = [\n    ./installer.nix { boot.x = 1; }",
    );
    let g = gen(&[&a, &before]);
    assert_eq!(names(&g), ["prependModules"]);
    assert_eq!(
        bound(&g, 1, "prependModules"),
        "./installer.nix { boot.x = 1; }"
    );
}

#[test]
fn attribute_in_one_host_only_is_optional() {
    let a = host("x86_64-linux", "a", "");
    let b = a.replace("modules = [", "pkgs = null;\n  modules = [");
    let g = gen(&[&a, &b]);
    assert_eq!(names(&g), ["pkgs"]);
    assert_eq!(g.holes[0].kind, HoleKind::Optional);
    assert!(matches!(g.bindings[0][0], Binding::Absent));
    assert!(!g.instantiate_input(0).unwrap().contains("pkgs ="));
}

#[test]
fn home_manager_block_differing_in_one_value() {
    let hm = |backup: &str| {
        format!(
            r#"{{
  home-manager = {{
    useGlobalPkgs = true;
    "useUserPackages" = true;
    backupFileExtension = "{backup}";
    users.alice = import ./home/alice.nix;
  }};
}}"#
        )
    };
    let g = gen(&[
        &hm("bak"),
        &hm("old").replace("\"useUserPackages\"", "useUserPackages"),
    ]);
    assert_eq!(names(&g), ["backupFileExtension"]);
    assert_eq!(
        g.holes[0].path,
        [
            Step::Attr("home-manager".into()),
            Step::Attr("backupFileExtension".into())
        ]
    );
}

#[test]
fn three_hosts() {
    let a = host("x86_64-linux", "a", "");
    let b = host("x86_64-linux", "b", "./nur.nix");
    let c = host("aarch64-linux", "c", "");
    let g = gen(&[&a, &b, &c]);
    assert_eq!(names(&g), ["system", "arg2", "moreModules"]);
    assert_eq!(bound(&g, 2, "system"), "\"aarch64-linux\"");
    assert_eq!(bound(&g, 1, "moreModules"), "./nur.nix");
    assert_eq!(bound(&g, 2, "moreModules"), "");
}

#[test]
fn let_value_differing_is_a_hole_on_the_value() {
    let g = gen(&["let x = 1; in { a = x; }", "let x = 2; in { a = x; }"]);
    assert_eq!(g.holes.len(), 1);
    assert_eq!(bound(&g, 0, "x"), "1");
    assert!(g.captures.is_empty());
}

#[test]
fn capture_trap_widens_to_the_binder() {
    let g = gen(&["let x = 1; in { a = x; }", "let x = 1; in { a = x + 1; }"]);
    assert_eq!(g.holes.len(), 1);
    assert_eq!(bound(&g, 1, "arg1"), "let x = 1; in { a = x + 1; }");
    assert_eq!(g.captures.len(), 1);
    assert_eq!(g.captures[0].name, "x");

    // A lambda argument and a `rec` sibling.
    let g = gen(&["{ f = y: y.a; }", "{ f = y: y.b; }"]);
    assert_eq!(bound(&g, 1, "f"), "y: y.b");
    let g = gen(&[
        "{ o = rec { a = 1; b = a; }; }",
        "{ o = rec { a = 1; b = a + 1; }; }",
    ]);
    assert_eq!(bound(&g, 0, "o"), "rec { a = 1; b = a; }");
    // A name from outside the inputs is not captured.
    let g = gen(&["let x = 1; in { a = y; }", "let x = 1; in { a = z; }"]);
    assert_eq!(bound(&g, 1, "a"), "z");
}

#[test]
fn parentheses_are_added_where_needed() {
    let g = gen(&["f a", "f (g b)"]);
    assert_eq!(g.instantiate_input(1).unwrap(), "f (g b)");
    let g = gen(&["[ (f a) x ]", "[ (f b) x ]"]);
    assert_eq!(g.holes.len(), 1);
    let g = gen(&["x.a.b", "(y.z).a.b"]);
    assert_eq!(g.holes.len(), 1);
}

#[test]
fn holes_inside_a_value_take_the_key_of_the_value() {
    let g = gen(&[
        "{ specialArgs = { inherit inputs; } // { host = \"a\"; }; }",
        "{ specialArgs = { inherit inputs; } // { host = \"b\"; }; }",
    ]);
    assert_eq!(names(&g), ["host"]);
    let g = gen(&["{ system = f \"a\"; }", "{ system = f \"b\"; }"]);
    assert_eq!(names(&g), ["system"]);
}

#[test]
fn odd_inputs_do_not_panic() {
    for (a, b) in [
        ("", "1"),
        ("{ a = ; }", "{ a = 1; }"),
        ("[", "]"),
        ("{ ${x} = 1; }", "{ ${y} = 1; }"),
        ("{ a.b = 1; a.c = 2; }", "{ a = { b = 1; c = 2; }; }"),
        ("let in 1", "let a = 1; in 2"),
    ] {
        let (a, b) = (rnix::Root::parse(a).syntax(), rnix::Root::parse(b).syntax());
        let g = generalise(&a, &b);
        let _ = g.prove();
    }
}

#[test]
fn comments_at_the_end_of_nodes_do_not_swallow_code() {
    gen(&["{ a = f x # c\n; b = 1; }", "{ a = f y # d\n; }"]);
    gen(&["{ a = g (f x # c\n) 2; }", "{ a = g (f y) 3 # d\n; }"]);
    gen(&["[ a # c\n b ]", "[ a # d\n c b ]"]);
    gen(&["let x = 1 # c\n; in x # e\n", "let x = 2; in x"]);
}
