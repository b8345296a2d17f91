//! Home Manager integration blocks written in the module lists of NixOS
//! and nix-darwin configurations.
//!
//! A block is a module written in place that sets `home-manager.*`: an
//! attribute set, or a module function `({ config, ... }: { ... })` whose
//! body is one. It is written as a module-list element, or, when the list
//! names it (`homeManager`, `hmModules.alice`), where the name leads: the
//! default of a helper's formal (`homeManager ? { ... }`), the argument a
//! call passes for it (`mkSystem { homeManager = { ... }; }`) or a `let`
//! binding (`hmModule = { ... };`). A block reached from several call sites
//! through one default is one written copy. Blocks are found
//! through the model: the module lists of every configuration (through
//! helpers, `++`, imports of other files such as `hosts/default.nix`) and
//! of every builder helper's body, so a block written once in a helper is
//! one block however many hosts call the helper.

use std::collections::BTreeSet;

use rnix::{SyntaxKind, SyntaxNode};

use super::eval::{FileId, Part, Val, Whnf};
use super::Flake;
use crate::syntax::{static_attr_name, unparen};

/// One Home Manager block.
#[derive(Debug, Clone)]
pub struct HmBlock {
    /// The program file it is written in.
    pub file: FileId,
    /// The expression written for the block (parentheses included): an
    /// element of a module list, or the value of a binding or a formal's
    /// default that a module list names.
    pub element: SyntaxNode,
    /// The `NODE_LAMBDA` when the block is a module function.
    pub lambda: Option<SyntaxNode>,
    /// The attribute set that sets `home-manager.*` (the function's body
    /// for a module function).
    pub body: SyntaxNode,
    /// The output of a configuration that uses it (`nixosConfigurations`,
    /// `darwinConfigurations`).
    pub output: &'static str,
    /// The block is the value of the `home-manager` option rather than a
    /// module: a module `{ home-manager = homeManager; }` in a helper's list
    /// takes it from each call (as `use-mksystem` leaves copies that differ
    /// only inside `home-manager`). `body` is that value.
    pub settings: bool,
}

impl Flake {
    /// Every Home Manager block of the NixOS and nix-darwin configurations
    /// and builder helpers, each once, in file and source order.
    pub fn home_manager_blocks(&self) -> Vec<HmBlock> {
        let lists = self.system_module_items();
        let mut seen: BTreeSet<(FileId, u32, u32)> = BTreeSet::new();
        let mut out = Vec::new();
        for (written, output) in lists {
            // `{ home-manager = homeManager; }`: the settings each call
            // passes are the copies.
            if let Some(block) = self.settings_block(&written, output) {
                let r = block.element.text_range();
                if seen.insert((block.file, r.start().into(), r.end().into())) {
                    out.push(block);
                }
                continue;
            }
            // The module that takes them is not a copy (from a helper's
            // body, its parameters unknown, say).
            if settings_name(&written.node).is_some() {
                continue;
            }
            // A name in a helper's body leads to another module at each
            // call site: each is followed, and each written copy kept once.
            let (file, element) = match self.named_module(&written) {
                Some(named) => named,
                None => (written.file, written.node.clone()),
            };
            let r = element.text_range();
            if !seen.insert((file, r.start().into(), r.end().into())) {
                continue;
            }
            if let Some(block) = written_block(file, &element, output) {
                out.push(block);
            }
        }
        out.sort_by_key(|b| (b.file, b.element.text_range().start()));
        out
    }

    /// Home Manager modules that a module list names (`hmModule`) but that
    /// are not written where a call could replace them (the top of an
    /// imported file, the body of a `let ... in` or `with`): each once, as
    /// (file, the set or function), in file and source order.
    pub fn home_manager_blocks_elsewhere(&self) -> Vec<(FileId, SyntaxNode)> {
        let mut seen: BTreeSet<(FileId, u32, u32)> = BTreeSet::new();
        let mut out = Vec::new();
        for (written, _) in self.system_module_items() {
            let Some(target) = self.named_target(&written) else {
                continue;
            };
            if self.named_module(&written).is_some() {
                continue;
            }
            let body = match target.node.kind() {
                SyntaxKind::NODE_LAMBDA => match target.node.children().last() {
                    Some(b) => unparen(b),
                    None => continue,
                },
                _ => target.node.clone(),
            };
            if body.kind() != SyntaxKind::NODE_ATTR_SET || !sets_home_manager(&body) {
                continue;
            }
            let r = target.node.text_range();
            if seen.insert((target.file, r.start().into(), r.end().into())) {
                out.push((target.file, target.node));
            }
        }
        out.sort_by_key(|(f, n)| (*f, n.text_range().start()));
        out
    }

    /// The items of the module lists of the NixOS and nix-darwin
    /// configurations and builder helpers, with their output.
    fn system_module_items(&self) -> Vec<(Val, &'static str)> {
        let mut lists: Vec<(Val, &'static str)> = Vec::new();
        for conf in self.configurations() {
            let Some(call) = &conf.call else { continue };
            if call.builder == "homeManagerConfiguration" {
                continue;
            }
            let output = if call.builder == "darwinSystem" {
                "darwinConfigurations"
            } else {
                "nixosConfigurations"
            };
            for item in self.module_items(call) {
                lists.push((item.written, output));
            }
        }
        for helper in self.builder_helpers() {
            if helper.builder == "homeManagerConfiguration" {
                continue;
            }
            let output = if helper.builder == "darwinSystem" {
                "darwinConfigurations"
            } else {
                "nixosConfigurations"
            };
            for call in &helper.calls {
                for item in self.module_items(call) {
                    lists.push((item.written, output));
                }
            }
        }
        lists
    }
}

impl HmBlock {
    /// Whether the block is an element of a list (a call replacing it
    /// needs parentheses there), rather than the value of a binding or a
    /// formal's default.
    pub fn in_list(&self) -> bool {
        self.element
            .parent()
            .is_some_and(|p| p.kind() == SyntaxKind::NODE_LIST)
    }
}

impl Flake {
    /// Where a module-list item that names a module (`homeManager`,
    /// `hmModules.alice`) leads, when the module is written there as an
    /// attribute set or a function: the expression as written (parentheses
    /// included), the value of a binding, a formal's default or a list
    /// element, in its file. `None` for anything else (a call, a `//`
    /// merge, a path, an input's module, a value under a `let`).
    pub fn named_module(&self, item: &Val) -> Option<(FileId, SyntaxNode)> {
        let target = self.named_target(item)?;
        let mut element = target.node.clone();
        while let Some(p) = element.parent() {
            if p.kind() != SyntaxKind::NODE_PAREN {
                break;
            }
            element = p;
        }
        let parent = element.parent()?;
        let placed = match parent.kind() {
            SyntaxKind::NODE_LIST => true,
            // The value of `name = ...;`, or the default of `name ? ...`.
            SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_PAT_ENTRY => {
                parent.children().last().as_ref() == Some(&element)
                    && parent.children().count() == 2
            }
            _ => false,
        };
        placed.then_some((target.file, element))
    }
}

impl Flake {
    /// When a module-list element is written `{ home-manager = x; }` with
    /// `x` a name (a helper's parameter), the attribute set `x` leads to
    /// from this call, as a block of settings, when it is written where a
    /// call can replace it.
    fn settings_block(&self, written: &Val, output: &'static str) -> Option<HmBlock> {
        let value = settings_name(&written.node)?;
        let (file, written_at) = self.named_module(&Val {
            file: written.file,
            node: value,
            env: written.env.clone(),
        })?;
        let body = unparen(written_at.clone());
        if body.kind() != SyntaxKind::NODE_ATTR_SET
            || !crate::syntax::is_plain_set(&body)
            || body.children().next().is_none()
        {
            return None;
        }
        Some(HmBlock {
            file,
            element: written_at,
            lambda: None,
            body,
            output,
            settings: true,
        })
    }

    /// The attribute set or function a module-list item that is a name
    /// (`homeManager`, `hmModules.alice`) leads to, wherever it is written.
    fn named_target(&self, item: &Val) -> Option<Val> {
        let name = unparen(item.node.clone());
        if !matches!(
            name.kind(),
            SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT
        ) {
            return None;
        }
        match self.resolve(item) {
            Whnf::Attrs(parts) => match parts.as_slice() {
                [Part::Set { set, prefix }] if prefix.is_empty() => Some(set.clone()),
                _ => None,
            },
            Whnf::Lambda(l) => Some(l),
            _ => None,
        }
    }
}

/// The block a module written at `element` (a list element, a binding's
/// value or a formal's default) is, if it is one.
pub fn written_block(file: FileId, element: &SyntaxNode, output: &'static str) -> Option<HmBlock> {
    if element.parent().is_none_or(|p| {
        !matches!(
            p.kind(),
            SyntaxKind::NODE_LIST | SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_PAT_ENTRY
        )
    }) {
        return None;
    }
    block_at(file, element, output)
}

/// The block an element of a module list is, if it is one.
pub fn block_of(file: FileId, element: &SyntaxNode, output: &'static str) -> Option<HmBlock> {
    if element
        .parent()
        .is_none_or(|p| p.kind() != SyntaxKind::NODE_LIST)
    {
        return None;
    }
    block_at(file, element, output)
}

fn block_at(file: FileId, element: &SyntaxNode, output: &'static str) -> Option<HmBlock> {
    let inner = unparen(element.clone());
    let (lambda, body) = match inner.kind() {
        SyntaxKind::NODE_ATTR_SET => (None, inner.clone()),
        SyntaxKind::NODE_LAMBDA => {
            let body = unparen(inner.children().last()?);
            (Some(inner.clone()), body)
        }
        _ => return None,
    };
    if !crate::syntax::is_plain_set(&body) || !sets_home_manager(&body) {
        return None;
    }
    Some(HmBlock {
        file,
        element: element.clone(),
        lambda,
        body,
        output,
        settings: false,
    })
}

/// Whether a module's attribute set has an entry under `home-manager`.
pub fn sets_home_manager(set: &SyntaxNode) -> bool {
    set.children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .any(|e| {
            e.children()
                .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                .and_then(|p| p.first_child())
                .and_then(|a| static_attr_name(&a))
                .as_deref()
                == Some("home-manager")
        })
}

/// The name in a module-list element written `{ home-manager = x; }`, `x` a
/// name: a module that takes its `home-manager` settings from elsewhere.
fn settings_name(element: &SyntaxNode) -> Option<SyntaxNode> {
    if element
        .parent()
        .is_none_or(|p| p.kind() != SyntaxKind::NODE_LIST)
    {
        return None;
    }
    let module = unparen(element.clone());
    if module.kind() != SyntaxKind::NODE_ATTR_SET || !crate::syntax::is_plain_set(&module) {
        return None;
    }
    let entries: Vec<SyntaxNode> = module
        .children()
        .filter(|c| {
            matches!(
                c.kind(),
                SyntaxKind::NODE_ATTRPATH_VALUE | SyntaxKind::NODE_INHERIT
            )
        })
        .collect();
    let [entry] = entries.as_slice() else {
        return None;
    };
    let path = entry
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
    let attrs: Vec<SyntaxNode> = path.children().collect();
    if attrs.len() != 1 || static_attr_name(&attrs[0]).as_deref() != Some("home-manager") {
        return None;
    }
    let value = entry.children().last()?;
    let inner = unparen(value.clone());
    matches!(
        inner.kind(),
        SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT
    )
    .then_some(value)
}
