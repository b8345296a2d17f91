//! Builders for the Nix code this tool inserts.
//!
//! Codemods never assemble Nix source themselves: they call these builders,
//! which lay code out in RFC 166 (nixfmt) style, splice in the text of
//! existing nodes, and check (in debug builds and tests) that what they build
//! parses.

/// Maximum line width of generated code (nixfmt's default).
pub const WIDTH: usize = 100;

/// nixfmt writes an `inherit` of this many names or more one name per line.
const INHERIT_EXPLODE: usize = 4;

/// nixfmt writes a function head of this many formals or more (besides
/// `...`) one formal per line.
const FORMALS_EXPLODE: usize = 3;

fn checked(text: String) -> String {
    debug_assert!(
        rnix::Root::parse(&text).errors().is_empty(),
        "generated code does not parse: {text}"
    );
    text
}

/// `import ./dir { inherit a b; }`, or `import ./dir` when nothing is passed.
///
/// `indent` is the indentation of the line the call starts on and `column`
/// the column it starts at. As nixfmt lays it out: an `inherit` of four
/// names or more has one name per line; a shorter one stays on one line,
/// inside braces on lines of their own when the call would not fit.
pub fn import_call(
    dir: &std::path::Path,
    names: &[String],
    indent: &str,
    unit: &str,
    column: usize,
) -> String {
    let path = path_literal(dir);
    if names.is_empty() {
        return checked(format!("import {path}"));
    }
    let one_line = format!("import {path} {{ inherit {}; }}", names.join(" "));
    let inner = format!("{indent}{unit}");
    if names.len() < INHERIT_EXPLODE {
        // `;` after the call on the same line.
        if column + one_line.len() < WIDTH {
            return checked(one_line);
        }
        return checked(format!(
            "import {path} {{\n{inner}inherit {};\n{indent}}}",
            names.join(" ")
        ));
    }
    let mut lines = vec![format!("import {path} {{")];
    lines.push(format!("{inner}inherit"));
    for n in names {
        lines.push(format!("{inner}{unit}{n}"));
    }
    lines.push(format!("{inner}{unit};"));
    lines.push(format!("{indent}}}"));
    checked(lines.join("\n"))
}

/// An attribute name as written in source: the name itself when it is an
/// identifier, otherwise a quoted string.
pub fn attr_name(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-'))
        && !matches!(
            name,
            "if" | "then" | "else" | "assert" | "with" | "let" | "in" | "rec" | "inherit" | "or"
        );
    if ident {
        name.to_string()
    } else {
        let escaped = name
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace("${", "\\${");
        format!("\"{escaped}\"")
    }
}

/// `name = ` : what precedes the value of a binding of `name`.
pub fn binding_prefix(name: &str) -> String {
    format!("{} = ", attr_name(name))
}

/// `name = value;`
pub fn binding(name: &str, value: &str) -> String {
    checked_in_set(format!("{}{value};", binding_prefix(name)))
}

/// What follows the `=` of a binding whose value is `value`, on the same line.
pub fn after_equals(value: &str) -> String {
    format!(" {value}")
}

/// `inherit (from) a b;` as a `let` entry indented by `unit`, one name per
/// line (nixfmt style) for four names or more, or when it would not fit.
pub fn inherit_from(from: &str, names: &[String], unit: &str) -> String {
    let one_line = format!("{unit}inherit ({from}) {};", names.join(" "));
    if names.len() < INHERIT_EXPLODE && one_line.len() <= WIDTH {
        return checked_in_set(one_line);
    }
    let mut lines = vec![format!("{unit}inherit ({from})")];
    for n in names {
        lines.push(format!("{unit}{unit}{n}"));
    }
    lines.push(format!("{unit}{unit};"));
    checked_in_set(lines.join("\n"))
}

/// An attribute set with one entry per element (each already indented), one per line.
pub fn attrset(entries: &[String]) -> String {
    let mut out = String::from("{\n");
    for e in entries {
        out.push_str(e);
        out.push('\n');
    }
    out.push('}');
    checked(out)
}

fn checked_in_set(entry: String) -> String {
    debug_assert!(
        rnix::Root::parse(&format!("{{ {entry} }}"))
            .errors()
            .is_empty(),
        "generated binding does not parse: {entry}"
    );
    entry
}

/// An empty attribute set, as nixfmt writes it.
pub fn empty_attrset() -> String {
    checked("{ }".to_string())
}

/// A relative path literal for `dir` (relative to the current file's directory).
pub fn path_literal(dir: &std::path::Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    if s.is_empty() || s == "." {
        "./.".into()
    } else if s.starts_with("../") || s.starts_with("./") {
        s
    } else {
        format!("./{s}")
    }
}

/// The head of a file that takes `names`: `{ a, b, ... }:` on one line for
/// one or two names that fit, otherwise one formal per line (as nixfmt).
pub fn formals_header(names: &[String], unit: &str) -> String {
    let mut items: Vec<&str> = names.iter().map(String::as_str).collect();
    items.push("...");
    let one_line = format!("{{ {} }}:", items.join(", "));
    if names.len() < FORMALS_EXPLODE && one_line.len() <= WIDTH {
        return one_line;
    }
    let mut out = String::from("{\n");
    for i in items {
        out.push_str(unit);
        out.push_str(i);
        out.push_str(",\n");
    }
    // nixfmt writes no comma after `...`.
    if out.ends_with("...,\n") {
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    out.push_str("}:");
    out
}

/// A new file: an optional function head, `with` prefixes, an optional `let`
/// block (each binding already indented by `unit`), and the body, ending in
/// a newline.
pub fn file(header: Option<&str>, withs: &[String], bindings: &[String], body: &str) -> String {
    let mut out = String::new();
    if let Some(h) = header {
        out.push_str(h);
        out.push('\n');
    }
    for w in withs {
        out.push_str("with ");
        out.push_str(w);
        out.push_str(";\n");
    }
    if !bindings.is_empty() {
        out.push_str("let\n");
        for b in bindings {
            out.push_str(b);
            if !b.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str("in\n");
    }
    out.push_str(body);
    out.push('\n');
    checked(out)
}

/// `imports = [ ./a ./b ];` for the module `dirs` (relative to the file).
pub fn imports_entry(dirs: &[std::path::PathBuf]) -> String {
    let items: Vec<String> = dirs.iter().map(|d| path_literal(d)).collect();
    checked_in_set(format!("imports = [ {} ];", items.join(" ")))
}

/// A moved entry (`  name.a = 1;`, indentation kept) with `prefix.` put
/// before its attribute path: `  flake.name.a = 1;`.
pub fn prefixed_entry(prefix: &str, entry: &str) -> String {
    let trimmed = entry.trim_start();
    let indent = &entry[..entry.len() - trimmed.len()];
    checked_in_set(format!("{indent}{prefix}.{trimmed}"))
}

/// An entry on a line of its own, indented by `indent`.
pub fn entry_line(indent: &str, entry: &str) -> String {
    format!("{indent}{entry}\n")
}

/// The text to insert before the `]` of a list to append `items` (path
/// literals, say): one per line when the list is written over several
/// lines (`unit` deeper than `indent`, the `]`'s), else on its line.
pub fn list_append(items: &[String], multiline: Option<(&str, &str)>) -> String {
    match multiline {
        Some((unit, indent)) => items
            .iter()
            .map(|i| format!("{unit}{i}\n{indent}"))
            .collect(),
        None => format!("{} ", items.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn import_call_on_one_line_or_broken() {
        assert_eq!(
            import_call(std::path::Path::new("hosts"), &[], "  ", "  ", 4),
            "import ./hosts"
        );
        assert_eq!(
            import_call(
                std::path::Path::new("hosts"),
                &names(&["inputs", "self"]),
                "    ",
                "  ",
                26
            ),
            "import ./hosts { inherit inputs self; }"
        );
        assert_eq!(
            import_call(
                std::path::Path::new("hosts"),
                &names(&["inputs", "self", "unstableFor"]),
                "    ",
                "  ",
                80
            ),
            "import ./hosts {\n      inherit inputs self unstableFor;\n    }"
        );
        let four = import_call(
            std::path::Path::new("hosts"),
            &names(&["a", "b", "c", "d"]),
            "    ",
            "  ",
            26,
        );
        assert_eq!(
            four,
            "import ./hosts {\n      inherit\n        a\n        b\n        c\n        d\n        ;\n    }"
        );
        let long: Vec<String> = (0..12).map(|i| format!("helperNumber{i}")).collect();
        let call = import_call(std::path::Path::new("hosts"), &long, "    ", "  ", 26);
        assert!(call.starts_with("import ./hosts {\n      inherit\n        helperNumber0\n"));
        assert!(call.ends_with("\n        ;\n    }"));
    }

    #[test]
    fn inherit_from_layout() {
        assert_eq!(
            inherit_from("inputs", &names(&["disko", "nixpkgs"]), "  "),
            "  inherit (inputs) disko nixpkgs;"
        );
        let long: Vec<String> = (0..12).map(|i| format!("inputNumber{i}")).collect();
        let i = inherit_from("inputs", &long, "  ");
        assert!(i.starts_with("  inherit (inputs)\n    inputNumber0\n"));
        assert!(i.ends_with("\n    inputNumber11\n    ;"));
    }

    #[test]
    fn formals_header_layout() {
        assert_eq!(
            formals_header(&names(&["inputs", "self"]), "  "),
            "{ inputs, self, ... }:"
        );
        assert_eq!(
            formals_header(&names(&["a", "b", "c"]), "  "),
            "{\n  a,\n  b,\n  c,\n  ...\n}:"
        );
        let long: Vec<String> = (0..12).map(|i| format!("helperNumber{i}")).collect();
        let h = formals_header(&long, "  ");
        assert!(h.starts_with("{\n  helperNumber0,\n"));
        assert!(h.ends_with("  ...\n}:"));
    }

    #[test]
    fn file_layout() {
        let f = file(
            Some("{ lib, ... }:"),
            &["lib".to_string()],
            &["  a = 1;".to_string()],
            "{\n  b = a;\n}",
        );
        assert_eq!(
            f,
            "{ lib, ... }:\nwith lib;\nlet\n  a = 1;\nin\n{\n  b = a;\n}\n"
        );
    }
}

/// A Nix string literal holding `s` (`"..."`, with `\`, `"` and `${` escaped).
pub fn string(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "\\${")
        .replace('\n', "\\n");
    checked(format!("\"{escaped}\""))
}

/// `a.inputs.b.follows = "target";`: a binding of the attribute path
/// `path` (names quoted where needed) to the input path `target`.
pub fn follows(path: &[String], target: &str) -> String {
    let path: Vec<String> = path.iter().map(|p| attr_name(p)).collect();
    checked_in_set(format!("{} = {};", path.join("."), string(target)))
}

/// `name = {` + one entry per line + `};`, for a binding written at
/// indentation `indent` whose entries are indented one `unit` further
/// (`entries` are bindings without indentation, e.g. `url = "...";`).
pub fn set_binding(path: &[String], entries: &[String], indent: &str, unit: &str) -> String {
    let path: Vec<String> = path.iter().map(|p| attr_name(p)).collect();
    let mut out = format!("{} = {{\n", path.join("."));
    for e in entries {
        out.push_str(indent);
        out.push_str(unit);
        out.push_str(e);
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str("};");
    checked_in_set(out)
}

#[cfg(test)]
mod follows_tests {
    use super::*;

    #[test]
    fn follows_and_set_bindings() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            follows(&p(&["agenix", "inputs", "nixpkgs", "follows"]), "nixpkgs"),
            "agenix.inputs.nixpkgs.follows = \"nixpkgs\";"
        );
        assert_eq!(
            follows(&p(&["a b", "follows"]), "x\"${y}"),
            "\"a b\".follows = \"x\\\"\\${y}\";"
        );
        assert_eq!(
            set_binding(
                &p(&["agenix"]),
                &p(&["url = \"github:ryantm/agenix\";", "inputs.nixpkgs.follows = \"nixpkgs\";"]),
                "    ",
                "  "
            ),
            "agenix = {\n      url = \"github:ryantm/agenix\";\n      inputs.nixpkgs.follows = \"nixpkgs\";\n    };"
        );
    }
}

/// A function head `{ a, b ? null, c ? [ ] }:` (or `{ ... }@args:` when
/// `at` is given): formals with their default text, on one line when it
/// fits in `room` columns, otherwise one formal per line (as nixfmt).
pub fn function_head(
    formals: &[(String, Option<String>)],
    at: Option<&str>,
    indent: &str,
    unit: &str,
    room: usize,
) -> String {
    let items: Vec<String> = formals
        .iter()
        .map(|(n, d)| match d {
            Some(d) => format!("{n} ? {d}"),
            None => n.clone(),
        })
        .collect();
    let at = at.map(|a| format!("@{a}")).unwrap_or_default();
    let one_line = if items.is_empty() {
        format!("{{ }}{at}:")
    } else {
        format!("{{ {} }}{at}:", items.join(", "))
    };
    if one_line.len() <= room || items.is_empty() {
        return one_line;
    }
    let mut out = String::from("{\n");
    for i in &items {
        out.push_str(indent);
        out.push_str(unit);
        out.push_str(i);
        out.push_str(",\n");
    }
    out.push_str(indent);
    out.push('}');
    out.push_str(&at);
    out.push(':');
    out
}

/// `f { inherit a b; x = 1; }`: a call of `function` with an attribute set
/// of `inherits` and `entries` (name, value text laid out for `indent` plus
/// one `unit`), on one line when it is short and every value is one line.
pub fn call_with_set(
    function: &str,
    inherits: &[String],
    entries: &[(String, String)],
    indent: &str,
    unit: &str,
    column: usize,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    // `x = x;` is passed as `inherit x;`.
    let mut inherits: Vec<String> = inherits.to_vec();
    inherits.extend(
        entries
            .iter()
            .filter(|(n, v)| n == v)
            .map(|(n, _)| n.clone()),
    );
    if !inherits.is_empty() {
        parts.push(format!("inherit {};", inherits.join(" ")));
    }
    for (n, v) in entries.iter().filter(|(n, v)| n != v) {
        parts.push(format!("{}{v};", binding_prefix(n)));
    }
    if parts.is_empty() {
        return checked(format!("{function} {{ }}"));
    }
    let one_line = format!("{function} {{ {} }}", parts.join(" "));
    if !one_line.contains('\n') && column + one_line.len() <= 80 {
        return checked(one_line);
    }
    let mut out = format!("{function} {{");
    for p in parts {
        out.push('\n');
        out.push_str(indent);
        out.push_str(unit);
        out.push_str(&p);
    }
    out.push('\n');
    out.push_str(indent);
    out.push('}');
    checked(out)
}

/// `code` after comments put back before it (the code replaced the code
/// they were in): one comment per line, each followed by a line break and
/// `indent`.
pub fn after_comments(comments: &[String], indent: &str, code: &str) -> String {
    let mut out = String::new();
    for c in comments {
        out.push_str(c);
        out.push('\n');
        out.push_str(indent);
    }
    out.push_str(code);
    out
}

/// A function: `head` (`{ a, b }:` or `x:`), a space, and `body`.
pub fn function(head: &str, body: &str) -> String {
    checked(format!("{head} {body}"))
}

/// `pattern: body`, with the pattern of an existing function (`{ config, ... }`).
pub fn lambda(pattern: &str, body: &str) -> String {
    checked(format!("{pattern}: {body}"))
}

/// An expression in parentheses (a list element, an operand).
pub fn paren(expr: &str) -> String {
    checked(format!("({expr})"))
}

/// A `let` holding `binding` (already laid out for `indent` plus one
/// `unit`), written before an expression that starts a line at `indent`.
pub fn let_prefix(binding: &str, indent: &str, unit: &str) -> String {
    format!("let\n{indent}{unit}{binding}\n{indent}in\n{indent}")
}

/// A `let` holding `binding` between a function head and its body on the
/// same line: `:` + this + `{`, the `let` at `indent`, the body after `in `.
pub fn let_prefix_inline(binding: &str, indent: &str, unit: &str) -> String {
    format!("\n{indent}let\n{indent}{unit}{binding}\n{indent}in ")
}

/// A new binding on a line of its own after another entry (at `indent`).
pub fn entry_after(binding: &str, indent: &str) -> String {
    format!("\n{indent}{binding}")
}

/// A new binding on a line of its own before a `let`'s `in`, after a blank line.
pub fn let_entry_line(binding: &str, indent: &str) -> String {
    format!("\n{indent}{binding}\n")
}

#[cfg(test)]
mod function_tests {
    use super::*;

    #[test]
    fn heads_calls_and_lets() {
        let f = |n: &str, d: Option<&str>| (n.to_string(), d.map(str::to_string));
        assert_eq!(
            function_head(
                &[f("user", None), f("b", Some("null"))],
                Some("args"),
                "",
                "  ",
                80
            ),
            "{ user, b ? null }@args:"
        );
        assert_eq!(
            function_head(
                &[f("user", None), f("b", Some("[ ]"))],
                None,
                "  ",
                "  ",
                10
            ),
            "{\n    user,\n    b ? [ ],\n  }:"
        );
        assert_eq!(
            call_with_set(
                "mk",
                &["system".into()],
                &[("user".into(), "\"a\"".into())],
                "",
                "  ",
                0
            ),
            "mk { inherit system; user = \"a\"; }"
        );
        assert_eq!(
            call_with_set(
                "mk",
                &[],
                &[("user".into(), "[\n  x\n]".into())],
                "",
                "  ",
                0
            ),
            "mk {\n  user = [\n  x\n];\n}"
        );
        assert_eq!(let_prefix("f = 1;", "", "  "), "let\n  f = 1;\nin\n");
    }
}

/// One argument of [`call_with_args`]: comment lines before it, its name,
/// its code, and a `#` comment after it on its line.
pub struct CallArg {
    pub lead: String,
    pub name: String,
    pub value: String,
    pub tail: Option<String>,
}

/// A call of `function` with an attribute set of named arguments, for a
/// value written on a line indented by `indent`: `comments` (whole `#`
/// lines) first, then one `name = value;` per line, each preceded by its
/// leading comment lines and followed by its trailing comment; `function { }` when empty.
pub fn call_with_args(
    function: &str,
    comments: &[String],
    args: &[CallArg],
    indent: &str,
    unit: &str,
) -> String {
    if comments.is_empty() && args.is_empty() {
        return checked(format!("{function} {}", empty_attrset()));
    }
    let inner = format!("{indent}{unit}");
    let mut out = format!("{function} {{\n");
    for c in comments {
        out.push_str(&format!("{inner}{}\n", c.trim_end()));
    }
    for a in args {
        for l in a.lead.lines() {
            out.push_str(&format!("{inner}{}\n", l.trim()));
        }
        out.push_str(&format!("{inner}{}{};", binding_prefix(&a.name), a.value));
        if let Some(t) = &a.tail {
            out.push(' ');
            out.push_str(t.trim_end());
        }
        out.push('\n');
    }
    out.push_str(indent);
    out.push('}');
    out
}

/// A function of named arguments (`(name, default)`, defaults already
/// indented for a formal at `indent` + `unit`), one formal per line, and
/// its body on the next line: `{\n  a,\n  b ? [ ],\n}:\nbody`.
pub fn function_of_formals(
    formals: &[(String, Option<String>)],
    ellipsis: bool,
    body: &str,
    indent: &str,
    unit: &str,
) -> String {
    let mut out = String::from("{\n");
    for (name, default) in formals {
        out.push_str(&format!("{indent}{unit}{name}"));
        if let Some(d) = default {
            out.push_str(&format!(" ? {d}"));
        }
        out.push_str(",\n");
    }
    if ellipsis {
        out.push_str(&format!("{indent}{unit}...\n"));
    }
    out.push_str(&format!("{indent}}}:\n{indent}{unit}{body}"));
    out
}

/// `let name = value; in ` written before an expression at indentation
/// `indent` (when the outputs have no `let` to put a helper in).
pub fn let_before(binding: &str, indent: &str, unit: &str) -> String {
    format!("let\n{indent}{unit}{binding}\n{indent}in\n{indent}")
}

/// `function a b`: positional arguments, parenthesised unless they are
/// atoms (identifiers, literals, strings, paths, lists, sets).
pub fn application(function: &str, args: &[String]) -> String {
    let mut out = function.to_string();
    for a in args {
        out.push(' ');
        out.push_str(&paren_unless_simple(a));
    }
    out
}

// ---------------------------------------------------------------------------
// flake-parts
// ---------------------------------------------------------------------------

/// Whether `expr` can be applied or selected from without parentheses.
/// Whether `expr` needs no parentheses as an argument of an application: a
/// name, a literal, a path, a list, a set or an expression already in
/// parentheses (a selection is parenthesised, for the reader), or, with
/// `function`, also a selection (`pkgs.lib.f x`).
fn is_atom(expr: &str, function: bool) -> bool {
    use rnix::SyntaxKind::*;
    let root = rnix::Root::parse(expr);
    root.errors().is_empty()
        && root.syntax().first_child().is_some_and(|n| {
            matches!(
                n.kind(),
                NODE_IDENT
                    | NODE_LITERAL
                    | NODE_STRING
                    | NODE_PATH_REL
                    | NODE_PATH_ABS
                    | NODE_PATH_HOME
                    | NODE_PATH_SEARCH
                    | NODE_LIST
                    | NODE_ATTR_SET
                    | NODE_PAREN
            ) || function && n.kind() == NODE_SELECT
        })
}

fn paren_unless_simple(expr: &str) -> String {
    paren_unless_atom(expr, false)
}

fn paren_unless_atom(expr: &str, function: bool) -> String {
    if is_atom(expr, function) {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}

/// `f system`: a per-system function applied to perSystem's `system`.
pub fn apply_to_system(function: &str) -> String {
    checked(format!("{} system", paren_unless_atom(function, true)))
}

/// `f arg`, each parenthesised when needed.
pub fn apply(function: &str, arg: &str) -> String {
    checked(format!(
        "{} {}",
        paren_unless_atom(function, true),
        paren_unless_simple(arg)
    ))
}

/// One system's nixpkgs from a shared binding: `pkgsFor system` (a
/// function of the system) or `pkgsFor.${system}` (a set keyed by system).
pub fn pkgs_of_system(binding: &str, function: bool) -> String {
    if function {
        checked(format!("{} system", attr_name(binding)))
    } else {
        checked(format!("{}.${{system}}", attr_name(binding)))
    }
}

/// `MKFLAKE { inherit inputs; } ` (or `{ inputs = NAME; }`): what goes
/// before the module of a flake-parts flake. `mk_flake` is how the
/// function is reached (`flake-parts.lib.mkFlake`).
pub fn mk_flake_head(mk_flake: &str, inputs: &str) -> String {
    let arg = if inputs == "inputs" {
        "{ inherit inputs; }".to_string()
    } else {
        format!("{{ inputs = {inputs}; }}")
    };
    checked(format!("{mk_flake} {arg} {{ }}"))
        .trim_end_matches("{ }")
        .to_string()
}

/// `flake-parts.lib.mkFlake` reached from `root` (`flake-parts` or `inputs.flake-parts`).
pub fn mk_flake_function(root: &[&str]) -> String {
    let mut path: Vec<String> = root.iter().map(|r| attr_name(r)).collect();
    path.push("lib".into());
    path.push("mkFlake".into());
    checked(path.join("."))
}

/// `systems = [ ... ];` with one system per line (as nixfmt writes a list
/// of several strings), entries indented by `indent` + `unit`.
pub fn systems_binding(systems: &[String], indent: &str, unit: &str) -> String {
    if systems.is_empty() {
        return checked_in_set("systems = [ ];".to_string());
    }
    let mut out = String::from("systems = [\n");
    for s in systems {
        out.push_str(&format!("{indent}{unit}{}\n", string(s)));
    }
    out.push_str(&format!("{indent}];"));
    checked_in_set(out)
}

/// `perSystem = { FORMALS, ... }: { ENTRIES };` laid out as nixfmt does
/// (head and body on lines of their own); `entries` are complete bindings
/// already indented by `indent` + 2 `unit`s (blank lines between them are
/// the caller's).
pub fn per_system_binding(
    formals: &[&str],
    entries: &[String],
    indent: &str,
    unit: &str,
) -> String {
    let mut items: Vec<&str> = formals.to_vec();
    items.push("...");
    let mut out = format!(
        "perSystem =\n{indent}{unit}{{ {} }}:\n{indent}{unit}{{\n",
        items.join(", ")
    );
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(e);
        out.push('\n');
    }
    out.push_str(&format!("{indent}{unit}}};"));
    checked_in_set(out)
}

/// `name = value;` indented by `indent` (the value may start with a newline).
pub fn indented_binding(indent: &str, name: &str, value: &str) -> String {
    let sep = if value.starts_with('\n') { "" } else { " " };
    checked_in_set(format!("{indent}{} ={sep}{value};", attr_name(name)))
}

/// `_module.args.pkgs = value;` indented by `indent`.
pub fn module_args_pkgs(indent: &str, value: &str) -> String {
    checked_in_set(format!("{indent}_module.args.pkgs = {value};"))
}

/// What goes before an entry of the outputs to put it below `flake`
/// (`nixosConfigurations = ...;` becomes `flake.nixosConfigurations = ...;`).
pub fn flake_prefix() -> String {
    "flake.".to_string()
}

/// The flake-parts input's bindings (without indentation): `url = ...;` and,
/// when the flake has a `nixpkgs` input, `inputs.nixpkgs-lib.follows = "nixpkgs";`.
pub fn flake_parts_input_entries(follow_nixpkgs: bool) -> Vec<String> {
    let mut entries = vec![binding("url", &string("github:hercules-ci/flake-parts"))];
    if follow_nixpkgs {
        entries.push(follows(
            &[
                "inputs".to_string(),
                "nixpkgs-lib".to_string(),
                "follows".to_string(),
            ],
            "nixpkgs",
        ));
    }
    entries
}

/// `flake-parts.follows = "other/flake-parts";`: the input taken from
/// another input's lock node.
pub fn follows_input(name: &str, target: &str) -> String {
    follows(&[name.to_string(), "follows".to_string()], target)
}

#[cfg(test)]
mod flake_parts_tests {
    use super::*;

    #[test]
    fn flake_parts_templates() {
        assert_eq!(
            mk_flake_head("flake-parts.lib.mkFlake", "inputs"),
            "flake-parts.lib.mkFlake { inherit inputs; } "
        );
        assert_eq!(
            mk_flake_head("inputs.flake-parts.lib.mkFlake", "args"),
            "inputs.flake-parts.lib.mkFlake { inputs = args; } "
        );
        assert_eq!(apply_to_system("mkShells"), "mkShells system");
        assert_eq!(
            apply("pkgs: pkgs.hello", "pkgsFor.${system}"),
            "(pkgs: pkgs.hello) (pkgsFor.${system})"
        );
        assert_eq!(pkgs_of_system("pkgsFor", false), "pkgsFor.${system}");
        assert_eq!(
            systems_binding(&["x86_64-linux".into()], "  ", "  "),
            "systems = [\n    \"x86_64-linux\"\n  ];"
        );
        assert_eq!(
            per_system_binding(&["system"], &["      a = 1;".into()], "  ", "  "),
            "perSystem =\n    { system, ... }:\n    {\n      a = 1;\n    };"
        );
    }
}

/// `perSystem = { FORMALS, ... }: BODY;` for a body written elsewhere
/// (already indented for a head at `indent` + `unit`; starting with a
/// newline when it goes on a line of its own).
pub fn per_system_function(formals: &[&str], body: &str, indent: &str, unit: &str) -> String {
    let mut items: Vec<&str> = formals.to_vec();
    items.push("...");
    let sep = if body.starts_with('\n') {
        String::new()
    } else {
        format!("\n{indent}{unit}")
    };
    checked_in_set(format!(
        "perSystem =\n{indent}{unit}{{ {} }}:{sep}{body};",
        items.join(", ")
    ))
}

/// A module written as an attribute set of `entries` (bindings without
/// their first line's indentation), entries at `entry_indent`, the closing
/// brace at `indent`, blank lines between entries.
pub fn module_set(entries: &[String], indent: &str, entry_indent: &str) -> String {
    let mut out = String::from("{\n");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(entry_indent);
        out.push_str(e);
        out.push('\n');
    }
    out.push_str(indent);
    out.push('}');
    checked(out)
}

/// `a.b.c = value;` indented by `indent`, the path's parts as written
/// (the value may start with a newline).
pub fn indented_path_binding(indent: &str, path: &[String], value: &str) -> String {
    let sep = if value.starts_with('\n') { "" } else { " " };
    checked_in_set(format!("{indent}{} ={sep}{value};", path.join(".")))
}

/// `inherit a b;` (names as written).
pub fn inherit(names: &[String]) -> String {
    checked_in_set(format!("inherit {};", names.join(" ")))
}

/// `imports = [ ITEM ];` for one item without comments, else one item per
/// line (each after its comment lines, already indented), the items at
/// `indent` + `unit`, the `]` at `indent`.
pub fn imports_list(items: &[(String, String)], indent: &str, unit: &str) -> String {
    if let [(comments, item)] = items {
        if comments.is_empty() && !item.contains('\n') {
            return checked_in_set(format!("imports = [ {item} ];"));
        }
    }
    let mut out = String::from("imports = [\n");
    for (comments, item) in items {
        out.push_str(comments);
        out.push_str(&format!("{indent}{unit}{item}\n"));
    }
    out.push_str(&format!("{indent}];"));
    checked_in_set(out)
}

/// A name added at the end of the names of an `inherit a b;` (inserted
/// before its `;`).
pub fn inherit_more(name: &str) -> String {
    format!(" {name}")
}

/// A formal added after the last formal of a one-line pattern
/// (`{ a, b }` becomes `{ a, b, NAME }`).
pub fn formal_after(name: &str) -> String {
    format!(", {name}")
}

/// A formal on a line of its own after a formal followed by its comma, in
/// a pattern written one formal per line.
pub fn formal_line_after_comma(name: &str, indent: &str) -> String {
    format!("\n{indent}{name},")
}

/// A formal on a line of its own after the last formal, written without a
/// comma, of a pattern written one formal per line.
pub fn formal_line_after_last(name: &str, indent: &str) -> String {
    format!(",\n{indent}{name}")
}
