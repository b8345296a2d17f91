//! flake-parts, as written in flake.nix: `outputs = inputs@{ flake-parts, ... }:
//! flake-parts.lib.mkFlake { inherit inputs; } { ... }`, with the module's
//! `imports`, `flake` outputs and `perSystem`.
//!
//! Only the form whose module is an attribute set written in flake.nix is
//! modelled here: that is what `split-outputs` can move into modules of
//! their own. Everything else is left to [`super::model`], which follows
//! flake-parts for analysis.

use rnix::{SyntaxKind, SyntaxNode};

use super::Flake;
use crate::syntax::{attr_value, static_attr_name, unparen};

/// One definition below `flake`: `flake.nixosConfigurations = ...;`,
/// `flake.nixosConfigurations.quarry = ...;`, or `nixosConfigurations = ...;`
/// inside `flake = { ... };`.
#[derive(Debug, Clone)]
pub struct FlakeEntry {
    /// The output (`nixosConfigurations`).
    pub output: String,
    /// The `NODE_ATTRPATH_VALUE`.
    pub entry: SyntaxNode,
    /// Whether the entry is written inside `flake = { ... };` (its path lacks
    /// the `flake.` prefix).
    pub nested: bool,
}

/// The mkFlake module of flake.nix.
#[derive(Debug, Clone)]
pub struct FlakeParts {
    /// The module: the attribute set given to `mkFlake`.
    pub module: SyntaxNode,
    /// `imports = [ ... ];`: the entry and the list, when written as a list.
    pub imports: Option<(SyntaxNode, SyntaxNode)>,
    /// `flake = { ... };`, when written as a set.
    pub flake_set: Option<SyntaxNode>,
    /// The definitions below `flake`, in source order.
    pub flake_entries: Vec<FlakeEntry>,
    /// `perSystem = ...;`.
    pub per_system: Option<SyntaxNode>,
    /// Entries of the module that are none of the above (`systems`,
    /// `debug`...), or below `flake` without a static output name.
    pub other: Vec<SyntaxNode>,
}

impl Flake {
    /// The flake-parts module written in flake.nix, when the outputs are a
    /// `mkFlake` call whose module is an attribute set.
    pub fn flake_parts(&self) -> Option<FlakeParts> {
        let outputs = self.outputs.as_ref()?;
        let call = unparen(outputs.body.clone());
        if call.kind() != SyntaxKind::NODE_APPLY {
            return None;
        }
        let module = unparen(call.children().nth(1)?);
        let inner = unparen(call.first_child()?);
        if inner.kind() != SyntaxKind::NODE_APPLY {
            return None;
        }
        let function = unparen(inner.first_child()?);
        let named_mk_flake = match function.kind() {
            SyntaxKind::NODE_SELECT => function
                .children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                .and_then(|p| p.children().last())
                .and_then(|a| static_attr_name(&a))
                .is_some_and(|n| n == "mkFlake"),
            SyntaxKind::NODE_IDENT => function.text() == "mkFlake",
            _ => false,
        };
        if !named_mk_flake || module.kind() != SyntaxKind::NODE_ATTR_SET {
            return None;
        }
        let is_rec = module
            .children_with_tokens()
            .any(|t| t.kind() == SyntaxKind::TOKEN_REC);
        if is_rec {
            return None;
        }
        let mut parts = FlakeParts {
            module: module.clone(),
            imports: None,
            flake_set: None,
            flake_entries: Vec::new(),
            per_system: None,
            other: Vec::new(),
        };
        for entry in module.children() {
            if entry.kind() != SyntaxKind::NODE_ATTRPATH_VALUE {
                if entry.kind() == SyntaxKind::NODE_INHERIT {
                    parts.other.push(entry);
                }
                continue;
            }
            let path = path_of(&entry);
            match path.as_slice() {
                [Some(i)] if i == "imports" => {
                    let list = attr_value(&entry).map(unparen);
                    match list.filter(|l| l.kind() == SyntaxKind::NODE_LIST) {
                        Some(list) => parts.imports = Some((entry.clone(), list)),
                        None => parts.other.push(entry.clone()),
                    }
                }
                [Some(p)] if p == "perSystem" => parts.per_system = Some(entry.clone()),
                [Some(f)] if f == "flake" => {
                    let set = attr_value(&entry).map(unparen);
                    let set = set.filter(|s| {
                        s.kind() == SyntaxKind::NODE_ATTR_SET
                            && !s
                                .children_with_tokens()
                                .any(|t| t.kind() == SyntaxKind::TOKEN_REC)
                    });
                    let Some(set) = set else {
                        parts.other.push(entry.clone());
                        continue;
                    };
                    for inner in set.children() {
                        let output = (inner.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
                            .then(|| path_of(&inner).into_iter().next().flatten())
                            .flatten();
                        match output {
                            Some(output) => parts.flake_entries.push(FlakeEntry {
                                output,
                                entry: inner,
                                nested: true,
                            }),
                            None => parts.other.push(inner),
                        }
                    }
                    parts.flake_set = Some(set);
                }
                [Some(f), Some(output), ..] if f == "flake" => {
                    parts.flake_entries.push(FlakeEntry {
                        output: output.clone(),
                        entry: entry.clone(),
                        nested: false,
                    })
                }
                _ => parts.other.push(entry.clone()),
            }
        }
        Some(parts)
    }
}

/// The attribute path of an entry, `None` for dynamic parts.
fn path_of(entry: &SyntaxNode) -> Vec<Option<String>> {
    entry
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
        .map(|p| p.children().map(|a| static_attr_name(&a)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::workspace::Workspace;

    #[test]
    fn models_the_mk_flake_module() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("flake.nix"),
            r#"{
  outputs = inputs@{ flake-parts, nixpkgs, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      imports = [ ./parts/ci.nix ];
      flake = {
        nixosConfigurations.quarry = nixpkgs.lib.nixosSystem { modules = [ ]; };
        lib = { };
      };
      flake.homeConfigurations.ada = { };
      perSystem = { pkgs, ... }: { packages.default = pkgs.hello; };
    };
}"#,
        )
        .unwrap();
        let f = Flake::load(&Workspace::new(dir.path()), Path::new("flake.nix")).unwrap();
        let p = f.flake_parts().unwrap();
        let outputs: Vec<(&str, bool)> = p
            .flake_entries
            .iter()
            .map(|e| (e.output.as_str(), e.nested))
            .collect();
        assert_eq!(
            outputs,
            [
                ("nixosConfigurations", true),
                ("lib", true),
                ("homeConfigurations", false)
            ]
        );
        assert!(p.imports.is_some() && p.per_system.is_some() && p.flake_set.is_some());
        assert_eq!(p.other.len(), 1); // systems
    }
}
