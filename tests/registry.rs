//! The codemod list, the source files and the docs must agree, so that
//! adding a codemod cannot forget one of the places it lives in.

use std::path::Path;

use flake_refactor::codemods;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn registry_is_alphabetical_and_unique() {
    let names: Vec<&str> = codemods::ALL.iter().map(|c| c.name()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        names, sorted,
        "codemods::ALL must be alphabetical without duplicates"
    );
}

#[test]
fn every_codemod_has_a_source_file_docs_and_cases() {
    for c in codemods::ALL {
        let name = c.name();
        let snake = name.replace('-', "_");
        assert!(
            root()
                .join("src/codemods")
                .join(format!("{snake}.rs"))
                .is_file(),
            "src/codemods/{snake}.rs missing"
        );
        let readme = root().join("codemods").join(name).join("README.md");
        let text = std::fs::read_to_string(&readme)
            .unwrap_or_else(|_| panic!("{} missing", readme.display()));
        assert_eq!(c.docs(), text, "{name}: docs() must be its README");
        assert!(
            text.starts_with(&format!("# {name}\n")),
            "{name}: README must start with `# {name}`"
        );
        for heading in [
            "## What it does",
            "## Why",
            "## Example",
            "## Safety / when it refuses",
        ] {
            assert!(text.contains(heading), "{name}: README lacks `{heading}`");
        }
        let cases = root().join("codemods").join(name).join("cases");
        assert!(
            dir_names(&cases).len() >= 3,
            "{name}: needs test cases in {}",
            cases.display()
        );
        assert!(!c.summary().is_empty() && !c.summary().contains('\n'));
    }
}

#[test]
fn no_unregistered_codemod_files_or_dirs() {
    let registered: Vec<String> = codemods::ALL.iter().map(|c| c.name().to_string()).collect();
    for dir in dir_names(&root().join("codemods")) {
        assert!(
            registered.contains(&dir),
            "codemods/{dir} is not registered in codemods::ALL"
        );
    }
    for file in dir_names(&root().join("src/codemods")) {
        if file == "mod.rs" {
            continue;
        }
        let name = file.trim_end_matches(".rs").replace('_', "-");
        assert!(
            registered.contains(&name),
            "src/codemods/{file} is not registered in codemods::ALL"
        );
    }
}

/// The README's example is the `readme-example` case: before, after, new file.
#[test]
fn readme_examples_are_tested_cases() {
    for c in codemods::ALL {
        let case = root()
            .join("codemods")
            .join(c.name())
            .join("cases/readme-example");
        if !case.exists() {
            continue;
        }
        let example = c.docs().split("## Example").nth(1).unwrap_or_default();
        let example = example.split("\n## ").next().unwrap_or_default();
        let blocks: Vec<&str> = example
            .split("```nix\n")
            .skip(1)
            .map(|b| b.split("```").next().unwrap())
            .collect();
        let files = [
            "before/flake.nix",
            "after/flake.nix",
            "after/hosts/default.nix",
        ];
        for (block, file) in blocks.iter().zip(files) {
            let want = std::fs::read_to_string(case.join(file)).unwrap();
            assert_eq!(
                *block,
                want,
                "{}: README example differs from cases/readme-example/{file}",
                c.name()
            );
        }
    }
}
