//! Everything that leaves the process: the unified diff shown to the user,
//! the atomic writer that puts the changes on disk, and the git plumbing
//! (dirty-file checks, intent-to-add, committing to a branch), the JSON view
//! of `apply`, and the terminal conventions (diagnostics, colour, paths).
//!
//! The engine computes a list of [`FileChange`](crate::workspace::FileChange)s
//! in memory; the functions here only render or persist that list.

pub mod diff;
pub mod failpoint;
pub mod git;
pub mod journal;
pub mod json;
pub mod report;
pub mod signals;
pub mod term;
pub mod write;
