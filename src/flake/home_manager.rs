//! Home Manager integration blocks written in the module lists of NixOS
//! and nix-darwin configurations.
//!
//! A block is a module-list element written in place (not a name bound
//! elsewhere) that sets `home-manager.*`: an attribute set, or a module
//! function `({ config, ... }: { ... })` whose body is one. Blocks are found
//! through the model: the module lists of every configuration (through
//! helpers, `++`, imports of other files such as `hosts/default.nix`) and
//! of every builder helper's body, so a block written once in a helper is
//! one block however many hosts call the helper.

use std::collections::BTreeSet;

use rnix::{SyntaxKind, SyntaxNode};

use super::eval::{FileId, Val};
use super::Flake;
use crate::syntax::{static_attr_name, unparen};

/// One Home Manager block.
#[derive(Debug, Clone)]
pub struct HmBlock {
    /// The program file it is written in.
    pub file: FileId,
    /// The element of its module list, as written (parentheses included).
    pub element: SyntaxNode,
    /// The `NODE_LAMBDA` when the block is a module function.
    pub lambda: Option<SyntaxNode>,
    /// The attribute set that sets `home-manager.*` (the function's body
    /// for a module function).
    pub body: SyntaxNode,
    /// The output of a configuration that uses it (`nixosConfigurations`,
    /// `darwinConfigurations`).
    pub output: &'static str,
}

impl Flake {
    /// Every Home Manager block of the NixOS and nix-darwin configurations
    /// and builder helpers, each once, in file and source order.
    pub fn home_manager_blocks(&self) -> Vec<HmBlock> {
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
        let mut seen: BTreeSet<(FileId, u32, u32)> = BTreeSet::new();
        let mut out = Vec::new();
        for (written, output) in lists {
            let r = written.node.text_range();
            if !seen.insert((written.file, r.start().into(), r.end().into())) {
                continue;
            }
            if let Some(block) = block_of(written.file, &written.node, output) {
                out.push(block);
            }
        }
        out.sort_by_key(|b| (b.file, b.element.text_range().start()));
        out
    }
}

/// The block an element of a module list is, if it is one.
pub fn block_of(file: FileId, element: &SyntaxNode, output: &'static str) -> Option<HmBlock> {
    if element
        .parent()
        .is_none_or(|p| p.kind() != SyntaxKind::NODE_LIST)
    {
        return None;
    }
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
