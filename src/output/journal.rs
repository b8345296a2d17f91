//! The write transaction behind `--write`, and the recovery of one that was
//! interrupted.
//!
//! A transaction lives in a directory of the tool's own: `flake-refactor/`
//! in the git directory (`.git/flake-refactor/`), or `.flake-refactor-txn/`
//! in the flake's directory outside git. It goes:
//!
//! 1. **Stage.** Take the directory's lock (`flock`), write every new content
//!    to `new-<i>` there and fsync it; keep each file that will be replaced
//!    as `old-<i>` (a hard link, or a copy); stage the new git index as
//!    `index.new` (the original kept as `index.orig`). A crash here leaves
//!    only files in the transaction directory, which the next run removes.
//! 2. **Journal.** Write the plan (`journal`: JSON, via `journal.tmp`, fsync,
//!    rename, fsync of the directory). From now on a crash is rolled back.
//! 3. **Rename**, in dependency order: directories to create, new files,
//!    changed files, `flake.nix` last, then deletions (renamed into the
//!    transaction directory), then the index (`index.new` hard-linked to
//!    `index.lock`, which takes git's lock, then renamed over `index`).
//! 4. **Commit.** fsync the directories, remove the journal (the commit
//!    point), then the rest of the transaction directory.
//!
//! Rolling back (after a failed rename, a signal, or by [`recover`] on the
//! next run) undoes each step whose target holds the content the
//! transaction put there (compared by hash, so a file someone edited since
//! is left alone and named), removes the directories the run created, and
//! then the journal. Every rollback step can run twice, so a crash during a
//! rollback is rolled back again by the next run.

use std::fs;
use std::io;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::output::failpoint as op;
use crate::output::signals;

/// The transaction directory's name inside the git directory.
pub const GIT_DIR_NAME: &str = "flake-refactor";
/// The transaction directory's name in the flake's directory outside git.
pub const PLAIN_DIR_NAME: &str = ".flake-refactor-txn";

const JOURNAL: &str = "journal";
const JOURNAL_TMP: &str = "journal.tmp";
const LOCK: &str = "lock";
const VERSION: u32 = 1;

/// The transaction directory for the work tree (or non-git flake directory)
/// `root`.
pub fn txn_dir(root: &Path) -> PathBuf {
    match crate::output::git::git_dir(root) {
        Some(git_dir) => git_dir.join(GIT_DIR_NAME),
        None => root.join(PLAIN_DIR_NAME),
    }
}

/// One file to put in place.
pub struct Put<'a> {
    /// Relative to the root.
    pub rel: PathBuf,
    pub content: &'a [u8],
}

/// Fills a staged copy of the git index (given its path).
pub type StageIndex<'a> = Box<dyn FnOnce(&Path) -> Result<(), Error> + 'a>;

/// The git index update that goes with the renames.
pub struct IndexUpdate<'a> {
    /// The index file (`.git/index`).
    pub index: PathBuf,
    /// Fills the staged copy of the index (given its path) with the new entries.
    pub stage: StageIndex<'a>,
}

/// Everything a transaction does, in order.
pub struct Plan<'a> {
    /// The canonical root every relative path is under.
    pub root: PathBuf,
    /// The transaction directory ([`txn_dir`]).
    pub dir: PathBuf,
    /// Directories to create (relative to the root), parents first.
    pub mkdirs: Vec<PathBuf>,
    /// Files to put in place, in rename order.
    pub puts: Vec<Put<'a>>,
    /// Files to delete (relative to the root).
    pub deletes: Vec<PathBuf>,
    pub index: Option<IndexUpdate<'a>>,
}

#[derive(Serialize, Deserialize, Debug)]
struct Journal {
    version: u32,
    mkdirs: Vec<PathBuf>,
    steps: Vec<Step>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "op", rename_all = "kebab-case")]
enum Step {
    /// Rename `staged` (in the transaction directory) over `target`
    /// (relative to the root); `backup` is the original, if there was one.
    Put {
        target: PathBuf,
        staged: String,
        backup: Option<String>,
        new_hash: String,
    },
    /// Rename `target` into the transaction directory as `backup`.
    Delete { target: PathBuf, backup: String },
    /// Hard-link `staged` to `<index>.lock`, rename that over `index`
    /// (relative to the transaction directory's parent, the git directory).
    Index {
        index: PathBuf,
        staged: String,
        backup: Option<String>,
        new_hash: String,
    },
}

/// Run `plan` as a transaction: all of it is on disk when this returns
/// `Ok`, none of it otherwise (the error says so). Messages about an earlier
/// interrupted transaction found on the way are printed on stderr.
pub fn execute(mut plan: Plan) -> Result<(), Error> {
    let guard = signals::Guard::install();
    let dir = plan.dir.clone();
    let fail = |what: String| Error::Output(format!("{what}; nothing was written"));
    let io_fail =
        |what: &str, path: &Path, e: io::Error| fail(format!("{what} {}: {e}", path.display()));

    let created = fs::symlink_metadata(&dir).is_err();
    if created {
        op::mkdir(&dir).map_err(|e| io_fail("cannot create", &dir, e))?;
    }
    let lock = match take_lock(&dir) {
        Ok(lock) => lock,
        Err(e) => {
            if created {
                let _ = fs::remove_file(dir.join(LOCK));
                let _ = fs::remove_dir(&dir);
            }
            return Err(match e {
                Error::Io { path, source } => io_fail("cannot create", &path, source),
                other => other,
            });
        }
    };
    for message in recover_locked(&plan.root, &dir)? {
        eprintln!("{message}");
    }

    let mut txn = Staging {
        dir: &dir,
        steps: Vec::new(),
    };
    if let Err(e) = txn.stage(&mut plan) {
        clean_dir(&dir, &lock);
        drop(lock);
        return Err(match e {
            Error::Io { path, source } => io_fail("cannot stage", &path, source),
            other => other,
        });
    }
    let journal = Journal {
        version: VERSION,
        mkdirs: plan.mkdirs.clone(),
        steps: txn.steps,
    };
    if let Some(sig) = signals::caught() {
        clean_dir(&dir, &lock);
        return Err(Error::Interrupted(sig));
    }
    if let Err(e) = write_journal(&dir, &journal) {
        clean_dir(&dir, &lock);
        return Err(io_fail("cannot write the journal in", &dir, e));
    }

    // The renames. Any failure or signal from here rolls back.
    let outcome = rename_all(&plan.root, &dir, &journal);
    let result = match outcome {
        Ok(()) => commit(&plan.root, &dir, &journal),
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        let undo = rollback(&plan.root, &dir, &journal);
        clean_dir(&dir, &lock);
        drop(guard);
        return Err(match (e, undo) {
            (e, Ok(_)) => e,
            (e, Err(undo)) => Error::Output(format!(
                "{}\nand the rollback failed too: {undo}; the journal is kept in {}, the next run retries",
                error_text(&e),
                dir.display()
            )),
        });
    }
    clean_dir(&dir, &lock);
    drop(lock);
    drop(guard);
    Ok(())
}

fn error_text(e: &Error) -> String {
    match e {
        Error::Interrupted(sig) => format!("interrupted by {}", signals::name(*sig)),
        other => other.to_string(),
    }
}

/// Take the transaction directory's lock without waiting.
fn take_lock(dir: &Path) -> Result<fs::File, Error> {
    let path = dir.join(LOCK);
    let file = op::create_empty(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    // SAFETY: flock on a file descriptor this function owns.
    let taken = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if !taken {
        return Err(Error::Output(format!(
            "another flake-refactor run is writing in this repository (it holds {}); try again when it is done",
            path.display()
        )));
    }
    Ok(file)
}

struct Staging<'d> {
    dir: &'d Path,
    steps: Vec<Step>,
}

impl Staging<'_> {
    fn stage(&mut self, plan: &mut Plan) -> Result<(), Error> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        for (i, put) in plan.puts.iter().enumerate() {
            let target = plan.root.join(&put.rel);
            let staged = format!("new-{i}");
            let staged_path = self.dir.join(&staged);
            let file = op::create_new(&staged_path, put.content).map_err(io(&staged_path))?;
            let mut backup = None;
            if let Ok(meta) = fs::metadata(&target) {
                op::set_permissions(&staged_path, meta.permissions()).map_err(io(&staged_path))?;
                let name = format!("old-{i}");
                keep_original(&target, &self.dir.join(&name))?;
                backup = Some(name);
            }
            op::fsync(&file, &staged_path).map_err(io(&staged_path))?;
            self.steps.push(Step::Put {
                target: put.rel.clone(),
                staged,
                backup,
                new_hash: hash(put.content),
            });
            interrupted()?;
        }
        for (j, rel) in plan.deletes.iter().enumerate() {
            self.steps.push(Step::Delete {
                target: rel.clone(),
                backup: format!("del-{j}"),
            });
        }
        if let Some(update) = plan.index.take() {
            let name = "index.new";
            let staged = self.dir.join(name);
            let existed = update.index.exists();
            if existed {
                op::copy(&update.index, &staged).map_err(io(&staged))?;
            }
            (update.stage)(&staged)?;
            let file = fs::File::open(&staged).map_err(io(&staged))?;
            op::fsync(&file, &staged).map_err(io(&staged))?;
            let new_hash = hash_of(&staged)
                .ok_or_else(|| Error::Output(format!("cannot read {} back", staged.display())))?;
            let backup = if existed {
                keep_original(&update.index, &self.dir.join("index.orig"))?;
                Some("index.orig".to_string())
            } else {
                None
            };
            let index = update
                .index
                .strip_prefix(git_dir_of(self.dir))
                .map_err(|_| {
                    Error::Output(format!(
                        "{}: the git index is not in {}",
                        update.index.display(),
                        git_dir_of(self.dir).display()
                    ))
                })?
                .to_path_buf();
            self.steps.push(Step::Index {
                index,
                staged: name.to_string(),
                backup,
                new_hash,
            });
        }
        op::fsync_dir(self.dir).map_err(io(self.dir))?;
        interrupted()
    }
}

/// Keep `target`'s original as `backup`: a hard link, or a synced copy.
fn keep_original(target: &Path, backup: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: backup.to_path_buf(),
        source,
    };
    if op::hard_link(target, backup).is_ok() {
        return Ok(());
    }
    let _ = fs::remove_file(backup);
    op::copy(target, backup).map_err(io)?;
    let file = fs::File::open(backup).map_err(io)?;
    op::fsync(&file, backup).map_err(io)
}

fn interrupted() -> Result<(), Error> {
    match signals::caught() {
        Some(sig) => Err(Error::Interrupted(sig)),
        None => Ok(()),
    }
}

fn write_journal(dir: &Path, journal: &Journal) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(journal).map_err(io::Error::other)?;
    let tmp = dir.join(JOURNAL_TMP);
    let file = op::create_new(&tmp, &text)?;
    op::fsync(&file, &tmp)?;
    op::rename(&tmp, &dir.join(JOURNAL))?;
    op::fsync_dir(dir)
}

fn rename_all(root: &Path, dir: &Path, journal: &Journal) -> Result<(), Error> {
    let fail = |what: &str, path: &Path, e: io::Error| {
        Error::Output(format!(
            "{}: {what}: {e}; rolled back, nothing was written",
            path.display()
        ))
    };
    for rel in &journal.mkdirs {
        op::mkdir(&root.join(rel)).map_err(|e| fail("cannot create the directory", rel, e))?;
        interrupted()?;
    }
    for step in &journal.steps {
        match step {
            Step::Put { target, staged, .. } => {
                op::rename(&dir.join(staged), &root.join(target))
                    .map_err(|e| fail("cannot replace the file", target, e))?;
            }
            Step::Delete { target, backup } => {
                op::rename(&root.join(target), &dir.join(backup))
                    .map_err(|e| fail("cannot delete the file", target, e))?;
            }
            Step::Index { index, staged, .. } => {
                let index = git_dir_of(dir).join(index);
                let lock = lock_path(&index);
                op::hard_link(&dir.join(staged), &lock).map_err(|e| {
                    if e.kind() == io::ErrorKind::AlreadyExists {
                        Error::Output(format!(
                            "{} appeared during the write (another git command is running); rolled back, nothing was written",
                            lock.display()
                        ))
                    } else {
                        fail("cannot lock the git index", &lock, e)
                    }
                })?;
                op::rename(&lock, &index).map_err(|e| fail("cannot update", &index, e))?;
            }
        }
        interrupted()?;
    }
    Ok(())
}

/// Make the renames durable, then remove the journal: the commit point.
fn commit(root: &Path, dir: &Path, journal: &Journal) -> Result<(), Error> {
    for d in touched_dirs(root, dir, journal) {
        op::fsync_dir(&d).map_err(|e| {
            Error::Output(format!(
                "cannot sync {}: {e}; rolled back, nothing was written",
                d.display()
            ))
        })?;
    }
    interrupted()?;
    op::unlink(&dir.join(JOURNAL)).map_err(|e| {
        Error::Output(format!(
            "cannot remove the journal in {}: {e}; rolled back, nothing was written",
            dir.display()
        ))
    })?;
    // Past the commit point, a signal no longer undoes anything.
    let _ = op::fsync_dir(dir);
    Ok(())
}

/// The directories whose entries a transaction changes.
fn touched_dirs(root: &Path, dir: &Path, journal: &Journal) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = journal
        .mkdirs
        .iter()
        .map(|d| root.join(d))
        .chain(journal.steps.iter().filter_map(|s| match s {
            Step::Put { target, .. } | Step::Delete { target, .. } => {
                root.join(target).parent().map(Path::to_path_buf)
            }
            Step::Index { index, .. } => {
                git_dir_of(dir).join(index).parent().map(Path::to_path_buf)
            }
        }))
        .chain(
            journal
                .mkdirs
                .iter()
                .filter_map(|d| root.join(d).parent().map(Path::to_path_buf)),
        )
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs.retain(|d| d.is_dir());
    dirs
}

fn git_dir_of(dir: &Path) -> &Path {
    dir.parent().unwrap_or(dir)
}

fn lock_path(index: &Path) -> PathBuf {
    let mut name = index.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// Undo `journal`; returns what was restored, for the user.
fn rollback(root: &Path, dir: &Path, journal: &Journal) -> Result<Vec<String>, Error> {
    let mut done = Vec::new();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    for step in journal.steps.iter().rev() {
        match step {
            Step::Index {
                index,
                backup,
                new_hash,
                ..
            } => {
                let index = git_dir_of(dir).join(index);
                let lock = lock_path(&index);
                if hash_of(&lock).as_deref() == Some(new_hash.as_str()) {
                    op::unlink(&lock).map_err(io(&lock))?;
                }
                if hash_of(&index).as_deref() == Some(new_hash.as_str()) {
                    match backup {
                        Some(b) if dir.join(b).exists() => {
                            op::rename(&dir.join(b), &index).map_err(io(&index))?
                        }
                        Some(_) => {}
                        None => op::unlink(&index).map_err(io(&index))?,
                    }
                    done.push("restored the git index".to_string());
                }
            }
            Step::Delete { target, backup } => {
                let path = root.join(target);
                let kept = dir.join(backup);
                if fs::symlink_metadata(&path).is_err() && kept.exists() {
                    op::rename(&kept, &path).map_err(io(&path))?;
                    done.push(format!("restored {}", target.display()));
                }
            }
            Step::Put {
                target,
                backup,
                new_hash,
                ..
            } => {
                let path = root.join(target);
                let now = hash_of(&path);
                if now.as_deref() == Some(new_hash.as_str()) {
                    match backup {
                        Some(b) if dir.join(b).exists() => {
                            op::rename(&dir.join(b), &path).map_err(io(&path))?;
                            done.push(format!("restored {}", target.display()));
                        }
                        Some(b) => {
                            return Err(Error::Output(format!(
                                "{}: the original ({}) is missing from {}",
                                target.display(),
                                b,
                                dir.display()
                            )))
                        }
                        None => {
                            op::unlink(&path).map_err(io(&path))?;
                            done.push(format!("removed {}", target.display()));
                        }
                    }
                } else if now.is_none() {
                    if let Some(b) = backup.as_ref().filter(|b| dir.join(b).exists()) {
                        op::rename(&dir.join(b), &path).map_err(io(&path))?;
                        done.push(format!("restored {}", target.display()));
                    }
                }
            }
        }
    }
    for rel in journal.mkdirs.iter().rev() {
        let path = root.join(rel);
        if path.is_dir() && op::rmdir(&path).is_ok() {
            done.push(format!("removed the directory {}", rel.display()));
        }
    }
    for d in touched_dirs(root, dir, journal) {
        let _ = op::fsync_dir(&d);
    }
    let journal_path = dir.join(JOURNAL);
    if journal_path.exists() {
        op::unlink(&journal_path).map_err(io(&journal_path))?;
        let _ = op::fsync_dir(dir);
    }
    Ok(done)
}

/// Remove everything in the transaction directory but its lock file.
fn clear_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names {
        if path.file_name().is_some_and(|n| n == LOCK) {
            continue;
        }
        if path.is_dir() {
            let _ = fs::remove_dir_all(&path);
        } else {
            let _ = op::unlink(&path);
        }
    }
}

/// Remove everything in the transaction directory, then the directory
/// (best effort; what is left is removed by the next run). The caller holds
/// the lock, whose file goes last.
fn clean_dir(dir: &Path, _lock: &fs::File) {
    clear_leftovers(dir);
    let _ = op::unlink(&dir.join(LOCK));
    let _ = op::rmdir(dir);
}

/// Finish what an interrupted `--write` left behind in the work tree (or
/// non-git flake directory) `root`: roll back a transaction whose journal is
/// still there, remove the files of one that never got a journal or whose
/// clean-up was cut short, and remove stale temporary files of older
/// versions (`.NAME.flake-refactor-PID.tmp` whose process is gone).
/// Returns messages for the user (empty when there was nothing to do).
pub fn recover(root: &Path) -> Result<Vec<String>, Error> {
    let mut messages = Vec::new();
    let dir = txn_dir(root);
    if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        match take_lock(&dir) {
            Ok(lock) => {
                messages.extend(recover_locked(root, &dir)?);
                clean_dir(&dir, &lock);
            }
            Err(e) => messages.push(format!("note: {e}")),
        }
    }
    let stale = remove_stale_temps(root);
    if stale > 0 {
        messages.push(format!(
            "note: removed {stale} temporary file(s) left by an interrupted --write"
        ));
    }
    Ok(messages)
}

/// [`recover`]'s work in `dir`, whose lock the caller holds.
fn recover_locked(root: &Path, dir: &Path) -> Result<Vec<String>, Error> {
    let journal_path = dir.join(JOURNAL);
    let leftovers = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name() != LOCK && e.file_name() != JOURNAL)
                .count()
        })
        .unwrap_or(0);
    let text = match fs::read(&journal_path) {
        Ok(text) => text,
        Err(_) => {
            if leftovers == 0 {
                return Ok(Vec::new());
            }
            clear_leftovers(dir);
            return Ok(vec![format!(
                "note: an earlier --write was interrupted before it changed anything; removed its {leftovers} staged file(s) from {}",
                dir.display()
            )]);
        }
    };
    let journal: Journal = serde_json::from_slice(&text).map_err(|e| {
        Error::Output(format!(
            "{}: cannot read the journal of an interrupted --write ({e}); inspect {} and remove it",
            journal_path.display(),
            dir.display()
        ))
    })?;
    if journal.version != VERSION {
        return Err(Error::Output(format!(
            "{}: a journal of another flake-refactor version (format {}); finish it with that version or remove {}",
            journal_path.display(),
            journal.version,
            dir.display()
        )));
    }
    let done = rollback(root, dir, &journal).map_err(|e| {
        Error::Output(format!(
            "an earlier --write was interrupted and rolling it back failed: {e}; the journal is kept in {}",
            dir.display()
        ))
    })?;
    clear_leftovers(dir);
    let mut message =
        "note: an earlier --write was interrupted; rolled it back, the files are as they were before it".to_string();
    if !done.is_empty() {
        message.push_str(&format!(" ({})", done.join(", ")));
    }
    Ok(vec![message])
}

/// Remove `.NAME.flake-refactor-PID.tmp` files under `root` (not in `.git`)
/// whose process no longer runs; returns how many.
fn remove_stale_temps(root: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name != ".git" {
                    stack.push(entry.path());
                }
                continue;
            }
            let Some(pid) = name.to_str().and_then(stale_temp_pid) else {
                continue;
            };
            if !process_alive(pid) && op::unlink(&entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// The process id in a temporary file name of older versions:
/// `.NAME.flake-refactor-PID.tmp`.
fn stale_temp_pid(name: &str) -> Option<i32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (stem, pid) = rest.rsplit_once(".flake-refactor-")?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

fn process_alive(pid: i32) -> bool {
    if pid <= 0 || pid == std::process::id() as i32 {
        return pid > 0;
    }
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// The hash of a file's bytes, `None` when it cannot be read.
fn hash_of(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|b| hash(&b))
}

/// FNV-1a (64 bits) with the length, in hex: enough to tell our content from
/// someone else's.
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}-{}", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temp_names() {
        assert_eq!(
            stale_temp_pid(".flake.nix.flake-refactor-123.tmp"),
            Some(123)
        );
        assert_eq!(stale_temp_pid(".a.flake-refactor-1.tmp"), Some(1));
        assert_eq!(stale_temp_pid("flake.nix.flake-refactor-123.tmp"), None);
        assert_eq!(stale_temp_pid(".flake-refactor-123.tmp"), None);
        assert_eq!(stale_temp_pid(".a.flake-refactor-x1.tmp"), None);
        assert_eq!(stale_temp_pid(".a.flake-refactor-.tmp"), None);
    }

    #[test]
    fn hash_tells_contents_apart() {
        assert_ne!(hash(b"a"), hash(b"b"));
        assert_ne!(hash(b""), hash(b"\0"));
        assert_eq!(hash(b"abc"), hash(b"abc"));
    }
}
