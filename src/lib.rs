//! flake-refactor: lossless, verified refactorings of Nix flake repositories.
//!
//! The pipeline (see `ARCHITECTURE.md`): a [`workspace::Workspace`] overlays
//! the repository; [`flake::Flake`] models `flake.nix` on top of
//! [`syntax`] and [`scope`]; each [`codemods::Codemod`] returns edits, which
//! [`engine`] applies and re-parses; [`verify`] checks the result;
//! [`evaluate`] compares Nix evaluations before and after (`--verify`); and
//! [`output`] renders it as a diff, writes it, or commits it to a branch.

pub mod apply;
pub mod codemods;
pub mod engine;
pub mod error;
pub mod evaluate;
pub mod flake;
pub mod lock;
pub mod modules;
pub mod output;
pub mod relocate;
pub mod review;
pub mod scope;
pub mod syntax;
pub mod unify;
pub mod verify;
pub mod workspace;

pub use error::{Error, Location};
