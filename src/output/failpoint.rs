//! The file operations of a write transaction, each counted, so that tests
//! can make the Nth one fail.
//!
//! **Test-only hook.** `FLAKE_REFACTOR_FAIL_AT=N` makes the Nth file
//! operation of the process (a create-and-write, fsync, rename, hard link,
//! unlink, mkdir or rmdir done by [`crate::output::journal`]) misbehave just
//! before it would run:
//!
//! - `N` (or `N:abort`): abort the process on the spot (`std::process::abort`,
//!   no unwinding, no clean-up), as a crash or `kill -9` would;
//! - `N:error`: the operation fails with an I/O error instead;
//! - `N:sigint` / `N:sigterm`: the process sends itself that signal, then the
//!   operation runs.
//!
//! `FLAKE_REFACTOR_FAIL_TRACE=1` prints every operation with its number on
//! stderr. Neither variable is meant for users; the kill tests in
//! `tests/transaction.rs` use them.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Abort,
    Error,
    Signal(i32),
}

static COUNT: AtomicU64 = AtomicU64::new(0);

fn config() -> &'static (Option<(u64, Action)>, bool) {
    static CONFIG: OnceLock<(Option<(u64, Action)>, bool)> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let at = std::env::var("FLAKE_REFACTOR_FAIL_AT").ok().and_then(|v| {
            let (n, action) = v.split_once(':').unwrap_or((v.as_str(), "abort"));
            let action = match action {
                "abort" => Action::Abort,
                "error" => Action::Error,
                "sigint" => Action::Signal(libc::SIGINT),
                "sigterm" => Action::Signal(libc::SIGTERM),
                _ => return None,
            };
            Some((n.trim().parse().ok()?, action))
        });
        let trace = std::env::var_os("FLAKE_REFACTOR_FAIL_TRACE").is_some();
        (at, trace)
    })
}

/// Count one operation `what` on `path`; misbehave if it is the one asked for.
fn step(what: &str, path: &Path) -> io::Result<()> {
    let n = COUNT.fetch_add(1, Ordering::SeqCst) + 1;
    let (at, trace) = config();
    if *trace {
        eprintln!("file operation {n}: {what} {}", path.display());
    }
    match at {
        Some((at, action)) if *at == n => match action {
            Action::Abort => {
                eprintln!(
                    "FLAKE_REFACTOR_FAIL_AT: aborting before operation {n} ({what} {})",
                    path.display()
                );
                std::process::abort()
            }
            Action::Error => Err(io::Error::other(format!(
                "injected failure (FLAKE_REFACTOR_FAIL_AT={n}:error)"
            ))),
            Action::Signal(sig) => {
                // SAFETY: raise only sends a signal to this process.
                unsafe { libc::raise(*sig) };
                Ok(())
            }
        },
        _ => Ok(()),
    }
}

/// Create `path` (it must not exist), write `bytes`, leave it open unsynced.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<fs::File> {
    step("write", path)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// Create or truncate `path` without writing (a lock file).
pub fn create_empty(path: &Path) -> io::Result<fs::File> {
    step("write", path)?;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Copy `from` to the new file `to` (with `from`'s permissions).
pub fn copy(from: &Path, to: &Path) -> io::Result<()> {
    step("write", to)?;
    fs::copy(from, to).map(|_| ())
}

/// Flush a file's content to the disk.
pub fn fsync(file: &fs::File, path: &Path) -> io::Result<()> {
    step("fsync", path)?;
    file.sync_all()
}

/// Flush a directory's entries to the disk.
pub fn fsync_dir(dir: &Path) -> io::Result<()> {
    step("fsync", dir)?;
    fs::File::open(dir)?.sync_all()
}

pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    step("rename", to)?;
    fs::rename(from, to)
}

pub fn hard_link(from: &Path, to: &Path) -> io::Result<()> {
    step("link", to)?;
    fs::hard_link(from, to)
}

pub fn unlink(path: &Path) -> io::Result<()> {
    step("unlink", path)?;
    fs::remove_file(path)
}

pub fn mkdir(path: &Path) -> io::Result<()> {
    step("mkdir", path)?;
    fs::create_dir(path)
}

pub fn rmdir(path: &Path) -> io::Result<()> {
    step("rmdir", path)?;
    fs::remove_dir(path)
}

pub fn set_permissions(path: &Path, perm: fs::Permissions) -> io::Result<()> {
    step("chmod", path)?;
    fs::set_permissions(path, perm)
}
