//! The anti-unification engine: the common structure of Nix expressions.
//!
//! Three operations on rnix syntax trees, all blind to trivia (whitespace,
//! comments) and parentheses:
//!
//! - [`generalise`] / [`generalise_all`] anti-unify two or n expressions
//!   (host definitions, Home Manager blocks): a [`Template`] holding what
//!   every input shares, with [`Hole`]s where they differ, and for each
//!   input the [`Binding`] of every hole.
//!   - Attribute sets and `let` blocks are aligned by key (static names,
//!     quoted or bare alike; dynamic keys by their tokens), never by
//!     position. An entry that some inputs lack becomes one *optional* hole
//!     for its whole value ([`Binding::Absent`] where it is missing).
//!   - Lists are aligned by the elements every input shares, in order (a
//!     longest common subsequence on structural equality, folded over the
//!     inputs). Between two shared elements, runs of the same length in
//!     every input are generalised element by element (a changed module is
//!     a hole); other runs become a *sequence* hole spliced at that place
//!     ([`SeqAt::Prepend`] before the shared elements, [`SeqAt::Extra`]
//!     after them, [`SeqAt::Middle`] between).
//!   - Other expressions are split child by child when their skeleton
//!     (operators, keywords, attribute paths, patterns) is the same; strings
//!     and paths are leaves.
//!   - A hole never splits a binding construct: when the code a hole stands
//!     for reads a name bound inside the common part (a `let` entry, a
//!     lambda argument, a `rec` sibling, an enclosing `with`), the hole
//!     widens to the expression that binds it, and the [`Capture`] is
//!     reported with both ranges. A parameter of a helper built from the
//!     template therefore never needs a name from inside the helper.
//!   - Holes are named from their role ([`Hole::name`]): the nearest
//!     attribute key above them, not through list elements (`system`,
//!     `specialArgs`), `prependModules` / `extraModules` for
//!     sequence holes in `modules` (`prepend<Key>` / `extra<Key>` in other
//!     lists), `argN` otherwise; the path ([`Hole::path`]) is exposed so
//!     callers can name better.
//! - [`instantiate`] writes the template with its holes filled (sequence
//!   holes spliced, absent optional entries left out): the beta-reduction
//!   of "helper applied to these arguments", as text that parses.
//!   Expressions are parenthesised where their new place needs it.
//! - [`equal_modulo_trivia`] is the proof: [`Generalisation::prove`] checks
//!   that every input is structurally equal to its instantiation.
//!
//! # Limits
//!
//! - Nested sets and dotted paths (`a = { b = 1; }` and `a.b = 1`) are
//!   different keys; `{ imports = [ m ]; }` is not flattened.
//! - Strings compare by value only when they are `"..."` strings without
//!   interpolation; `''` strings compare token by token.
//! - Names a hole reads that may come from a `with` in the common part
//!   widen the hole to that `with`, even when the `with` does not define
//!   them (the engine does not evaluate).
//! - Hole names may clash with free names of the template; a caller that
//!   turns holes into function parameters checks that.
//! - Lists longer than [`LCS_LIMIT`] elements in product are aligned by
//!   their common prefix and suffix only (time stays linear-ish).
//!
//! No operation panics: inputs with parse errors are compared as the trees
//! rnix built, and whatever cannot be split becomes a hole.

pub mod canon;
mod eq;
pub mod function;
mod generalise;
pub mod helper;
pub mod lift;
mod render;

#[cfg(test)]
mod tests;

pub use eq::equal_modulo_trivia;
pub use generalise::{generalise, generalise_all, LCS_LIMIT};
pub use render::instantiate;

use rnix::{SyntaxNode, TextRange};

/// The common structure of the inputs, with holes.
#[derive(Debug, Clone)]
pub enum Template {
    /// Shared code: the text of this node (from the first input).
    Same(SyntaxNode),
    /// The hole with this index in [`Generalisation::holes`].
    Hole(usize),
    /// A node of the first input whose children at these ranges are
    /// replaced by templates (ranges in increasing order).
    Node {
        node: SyntaxNode,
        children: Vec<(TextRange, Template)>,
    },
    /// An attribute set, entries aligned by key.
    Set { rec: bool, entries: Vec<Entry> },
    /// `let entries in body`.
    Let {
        entries: Vec<Entry>,
        body: Box<Template>,
    },
    /// A list, elements aligned.
    List { items: Vec<Item> },
}

/// An entry of a set or `let` in a template.
#[derive(Debug, Clone)]
pub enum Entry {
    /// `path = value;` in every input (`path` from the first input).
    Bind { path: SyntaxNode, value: Template },
    /// The same `inherit` in every input.
    Inherit(SyntaxNode),
    /// An entry present in some inputs only: `path = <hole>;` when the hole
    /// is bound, nothing when it is [`Binding::Absent`]. `path` is `None`
    /// for an `inherit`, whose whole text is then the binding.
    Optional {
        path: Option<SyntaxNode>,
        hole: usize,
    },
}

/// An element of a list in a template.
#[derive(Debug, Clone)]
pub enum Item {
    /// One element.
    Elem(Template),
    /// A sequence hole: a run of elements, possibly empty.
    Seq(usize),
}

/// One step of the path from the template's root to a hole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of the entry with this key (static names joined by `.`).
    Attr(String),
    /// Element number n of a list template.
    Elem(usize),
    /// The run between shared elements n - 1 and n of a list.
    Gap(usize),
    /// Child number n (significant children) of a node split child by child.
    Child(usize),
    /// The body of a `let`.
    Body,
}

/// Where a sequence hole sits in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqAt {
    /// Before every shared element.
    Prepend,
    /// Between shared elements.
    Middle,
    /// After every shared element (or in a list that shares none).
    Extra,
}

/// What a hole stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoleKind {
    /// An expression.
    Value,
    /// An entry some inputs lack: an expression or [`Binding::Absent`].
    Optional,
    /// A run of list elements.
    Sequence(SeqAt),
}

/// A place where the inputs differ.
#[derive(Debug, Clone)]
pub struct Hole {
    /// A Nix identifier from the hole's role, unique in the template.
    pub name: String,
    pub kind: HoleKind,
    /// From the template's root to the hole.
    pub path: Vec<Step>,
}

/// What a hole stands for in one input.
#[derive(Debug, Clone)]
pub enum Binding {
    /// An expression (for an optional `inherit`, the `NODE_INHERIT`).
    Expr(SyntaxNode),
    /// The elements of a sequence hole.
    Seq(Vec<SyntaxNode>),
    /// An optional entry the input does not have.
    Absent,
}

/// A difference that read a name bound in the common part, so its hole
/// was widened to the expression binding the name.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The name read.
    pub name: String,
    /// The input where it was found.
    pub input: usize,
    /// Where the name is read, in that input.
    pub reference: TextRange,
    /// The expression that binds it there (what the hole widened to).
    pub binder: TextRange,
}

/// The result of anti-unifying n inputs.
#[derive(Debug, Clone)]
pub struct Generalisation {
    pub template: Template,
    pub holes: Vec<Hole>,
    /// `bindings[i][h]`: what hole `h` stands for in input `i`.
    pub bindings: Vec<Vec<Binding>>,
    /// Holes widened because of a binding in the common part.
    pub captures: Vec<Capture>,
    /// The inputs, in order.
    pub inputs: Vec<SyntaxNode>,
}

impl Generalisation {
    /// The template instantiated with input `i`'s bindings (`None` past the
    /// last input).
    pub fn instantiate_input(&self, i: usize) -> Option<String> {
        Some(instantiate(&self.template, self.bindings.get(i)?))
    }

    /// The proof: every input's instantiation parses and is structurally
    /// equal to the input. `Err(i)` names the first input that is not.
    pub fn prove(&self) -> Result<(), usize> {
        for (i, input) in self.inputs.iter().enumerate() {
            let text = self.instantiate_input(i).ok_or(i)?;
            let parsed = rnix::Root::parse(&text);
            if !parsed.errors().is_empty() || !equal_modulo_trivia(&parsed.syntax(), input) {
                return Err(i);
            }
        }
        Ok(())
    }

    /// Whether the inputs are all the same (no hole).
    pub fn is_exact(&self) -> bool {
        self.holes.is_empty()
    }
}
