//! The finding families, one file each. Every function reads the shared
//! [`Cx`] and returns its findings; none fails: what cannot be analysed
//! yields no finding.

mod duplicates;
mod files;
mod helpers;
mod home_manager;
mod inputs;
mod per_system;
mod size;
mod standalone;

pub(crate) use per_system::is_system;

use super::context::Cx;
use super::Finding;

/// Every finding, in no particular order.
pub(crate) fn all(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(size::monolithic_flake(cx));
    out.extend(helpers::helper_bypassed(cx));
    out.extend(home_manager::repeated_integration(cx));
    out.extend(standalone::reads_nixos(cx));
    out.extend(per_system::hand_written(cx));
    out.extend(home_manager::redundant_standalone(cx));
    out.extend(inputs::without_follows(cx));
    out.extend(inputs::lock_missing(cx));
    out.extend(duplicates::repeated_blocks(cx));
    out.extend(files::parse_errors(cx));
    out.extend(files::program_file_errors(cx));
    out.extend(files::missing(cx));
    out
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}
