//! Putting a run's changes on disk, all or nothing: the checks that can
//! refuse run first, then [`journal::execute`] stages every new content in
//! the tool's transaction directory, records the plan in a journal and
//! renames in dependency order, rolling back on any failure; an interrupted
//! run is rolled back by the next one ([`journal::recover`]).

use std::collections::BTreeSet;
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::output::git;
use crate::output::journal::{self, IndexUpdate, Plan, Put};
use crate::workspace::FileChange;

/// What [`write_changes`] did. All paths are relative to the root it was given.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Every file given new content, created or changed.
    pub written: Vec<PathBuf>,
    /// The files among `written` that are new (their change has no old content).
    pub created: Vec<PathBuf>,
    /// The files deleted.
    pub deleted: Vec<PathBuf>,
    /// The created files marked intent-to-add in git (`git add -N`).
    pub intent_to_add: Vec<PathBuf>,
}

/// How [`write_changes`] treats what it would otherwise refuse.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Write over files git reports as changed.
    pub allow_dirty: bool,
    /// Replace or delete read-only files.
    pub force: bool,
}

/// Write `changes` (paths relative to `root`) to disk, as one transaction.
///
/// Checked first, each a refusal that leaves the disk as it was:
///
/// 1. every path stays inside `root` ([`check_paths`]: no absolute path, no
///    `..`, nothing inside `.git` or the Nix store, no symlink leading
///    outside, no directory or symlink as the file to write);
/// 2. in a git work tree, unless `allow_dirty`: no file with uncommitted
///    changes (see [`git::dirty_paths`]);
/// 3. each file is as the run read it (not changed, created or deleted
///    since); no read-only file is replaced or deleted unless `force`; every
///    directory that gets an entry is writable; a missing directory can be
///    created (no file in its way); the transaction directory is on the work
///    tree's file system; and, when new files go into the git index, no
///    `index.lock` exists.
///
/// Then [`journal::execute`] stages the new contents, journals the plan and
/// renames: directories to create, new files, changed files, `flake.nix`
/// last, deletions, and the git index with the created files marked
/// intent-to-add. A failure or a signal rolls all of it back. So an error
/// always means that nothing changed on disk.
pub fn write_changes(
    root: &Path,
    changes: &[FileChange],
    options: WriteOptions,
) -> Result<WriteReport, Error> {
    let root = root.canonicalize().map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    check_paths(&root, changes)?;

    // The repository's work tree root and `root`'s place inside it.
    let repo = git::discover_root(&root).and_then(|repo_root| {
        let prefix = root.strip_prefix(&repo_root).ok()?.to_path_buf();
        Some((repo_root, prefix))
    });
    if let (Some((repo_root, prefix)), false) = (&repo, options.allow_dirty) {
        let in_repo: Vec<PathBuf> = changes.iter().map(|c| prefix.join(&c.path)).collect();
        let dirty = git::dirty_paths(repo_root, &in_repo)?;
        if !dirty.is_empty() {
            let list: Vec<String> = dirty
                .iter()
                .map(|p| format!("  {}", p.strip_prefix(prefix).unwrap_or(p).display()))
                .collect();
            return Err(Error::Output(format!(
                "refusing to write over uncommitted changes in:\n{}\n\
                 commit or stash them first, or pass --allow-dirty",
                list.join("\n")
            )));
        }
    }

    let mkdirs = preflight(&root, changes, options.force)?;
    let dir = journal::txn_dir(&root);
    check_txn_dir(&root, &dir)?;

    let mut report = WriteReport::default();
    for change in changes {
        if change.new.is_some() {
            report.written.push(change.path.clone());
            if change.old.is_none() {
                report.created.push(change.path.clone());
            }
        } else if fs::symlink_metadata(root.join(&change.path)).is_ok() {
            report.deleted.push(change.path.clone());
        }
    }

    let index = match &repo {
        Some((repo_root, prefix)) if !report.created.is_empty() => {
            let index = git::index_path(repo_root)?;
            let mut lock = index.clone().into_os_string();
            lock.push(".lock");
            if Path::new(&lock).exists() {
                return Err(Error::Output(format!(
                    "{} exists: another git command is running, or one crashed; \
                     remove that file if no git command is running, then run again (nothing was written)",
                    Path::new(&lock).display()
                )));
            }
            let in_repo: Vec<PathBuf> = report.created.iter().map(|p| prefix.join(p)).collect();
            let repo_root = repo_root.clone();
            Some(IndexUpdate {
                index,
                stage: Box::new(move |copy: &Path| {
                    git::intent_to_add_in(&repo_root, copy, &in_repo)
                }),
            })
        }
        _ => None,
    };

    // Rename order: new files, changed files, `flake.nix` files last.
    let rank = |c: &FileChange| {
        if c.old.is_none() {
            0
        } else if c.path.file_name().is_some_and(|n| n == "flake.nix") {
            2
        } else {
            1
        }
    };
    let mut puts: Vec<&FileChange> = changes.iter().filter(|c| c.new.is_some()).collect();
    puts.sort_by_key(|c| rank(c));
    let plan = Plan {
        root: root.clone(),
        dir,
        mkdirs,
        puts: puts
            .iter()
            .map(|c| Put {
                rel: c.path.clone(),
                content: c.new.as_deref().unwrap_or_default().as_bytes(),
            })
            .collect(),
        deletes: report.deleted.clone(),
        index,
    };
    let with_index = plan.index.is_some();
    journal::execute(plan)?;
    if with_index {
        report.intent_to_add = report.created.clone();
    }
    Ok(report)
}

/// Refuse any change whose path is not plainly inside `root`, or whose
/// target cannot be replaced by a regular file: absolute paths, `.` and
/// `..` components, paths inside `.git` (by name, or resolved into the git
/// directory), inside the Nix store, or through a symlink leading outside
/// `root`, and directories or symlinks as the file to write. The dry run
/// checks the same, so what it shows is what `--write` would write.
pub fn check_paths(root: &Path, changes: &[FileChange]) -> Result<(), Error> {
    let root = root.canonicalize().map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let git_dir = git::git_dir(&root);
    for change in changes {
        check_target(&root, git_dir.as_deref(), change)?;
    }
    Ok(())
}

fn check_target(root: &Path, git_dir: Option<&Path>, change: &FileChange) -> Result<(), Error> {
    let rel = &change.path;
    let refuse = |why: &str| Err(Error::Output(format!("{}: {why}", rel.display())));
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)))
        && rel
            .to_string_lossy()
            .split('/')
            .all(|part| !matches!(part, "" | "." | ".."));
    if !plain {
        return refuse("refusing to write a path that is absolute or contains `..` or `.`");
    }
    if rel
        .components()
        .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
    {
        return refuse("refusing to write inside `.git`");
    }
    let target = root.join(rel);
    // The deepest existing ancestor must resolve to a place inside root,
    // outside the git directory and the Nix store.
    let mut dir = target.parent();
    while let Some(d) = dir {
        if fs::symlink_metadata(d).is_ok() {
            match d.canonicalize() {
                Ok(real) if real.starts_with("/nix/store") => {
                    return refuse("refusing to write inside the Nix store")
                }
                Ok(real) if git_dir.is_some_and(|g| real.starts_with(g)) => {
                    return refuse("refusing to write inside the git directory")
                }
                Ok(real) if real.starts_with(root) => break,
                Ok(_) => {
                    return refuse("refusing to write through a symlink leading outside the root")
                }
                Err(e) => return refuse(&format!("cannot resolve {}: {e}", d.display())),
            }
        }
        dir = d.parent();
    }
    if let Ok(meta) = fs::symlink_metadata(&target) {
        if meta.is_dir() {
            return refuse("is a directory");
        }
        if meta.file_type().is_symlink() && change.new.is_some() {
            return refuse("is a symbolic link; refusing to replace it");
        }
    }
    Ok(())
}

/// The checks of step 3 of [`write_changes`]; returns the directories to
/// create (relative to `root`, parents first).
fn preflight(root: &Path, changes: &[FileChange], force: bool) -> Result<Vec<PathBuf>, Error> {
    let mut mkdirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut writable_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for change in changes {
        let rel = &change.path;
        let target = root.join(rel);
        let refuse = |why: String| {
            Err(Error::Output(format!(
                "{}: {why}; nothing was written",
                rel.display()
            )))
        };
        let meta = fs::symlink_metadata(&target).ok();
        match (&change.new, &meta) {
            (Some(_), Some(meta)) => {
                if meta.permissions().readonly() && !force {
                    return refuse(
                        "is read-only; refusing to replace it (pass --force to write it anyway)"
                            .into(),
                    );
                }
                match &change.old {
                    None => {
                        return refuse(
                            "exists now, but did not when the run read the tree; run again".into(),
                        )
                    }
                    Some(old) => {
                        if fs::read(&target).ok().as_deref() != Some(old.as_bytes()) {
                            return refuse(
                                "changed on disk since the run read it; run again".into(),
                            );
                        }
                    }
                }
                if let Some(parent) = target.parent() {
                    writable_dirs.insert(parent.to_path_buf());
                }
            }
            (Some(_), None) => {
                if change.old.is_some() {
                    return refuse("was deleted since the run read it; run again".into());
                }
                let mut dir = target.parent();
                while let Some(d) = dir {
                    match fs::metadata(d) {
                        Ok(m) if m.is_dir() => {
                            writable_dirs.insert(d.to_path_buf());
                            break;
                        }
                        Ok(_) => {
                            let name = d.strip_prefix(root).unwrap_or(d);
                            return refuse(format!(
                                "cannot create it: {} is a file, not a directory",
                                name.display()
                            ));
                        }
                        Err(_) => {
                            if let Ok(rel_dir) = d.strip_prefix(root) {
                                mkdirs.insert(rel_dir.to_path_buf());
                            }
                        }
                    }
                    dir = d.parent();
                }
            }
            (None, Some(meta)) => {
                if meta.permissions().readonly() && !meta.file_type().is_symlink() && !force {
                    return refuse(
                        "is read-only; refusing to delete it (pass --force to delete it anyway)"
                            .into(),
                    );
                }
                if let Some(parent) = target.parent() {
                    writable_dirs.insert(parent.to_path_buf());
                }
            }
            (None, None) => {}
        }
    }
    for dir in &writable_dirs {
        if !writable(dir) {
            let name = dir.strip_prefix(root).unwrap_or(dir);
            let name = if name.as_os_str().is_empty() {
                Path::new(".")
            } else {
                name
            };
            return Err(Error::Output(format!(
                "{}: no permission to write in this directory; nothing was written",
                name.display()
            )));
        }
    }
    Ok(mkdirs.into_iter().collect())
}

/// The transaction directory must be creatable and on `root`'s file system
/// (renames do not cross file systems).
fn check_txn_dir(root: &Path, dir: &Path) -> Result<(), Error> {
    let parent = dir.parent().unwrap_or(dir);
    let refuse = |why: String| Err(Error::Output(format!("{why}; nothing was written")));
    match (fs::metadata(root), fs::metadata(parent)) {
        (Ok(r), Ok(p)) if r.dev() != p.dev() => refuse(format!(
            "{} is on another file system than {}; --write renames files from there into the work tree",
            parent.display(),
            root.display()
        )),
        (Ok(_), Ok(_)) if !dir.exists() && !writable(parent) => refuse(format!(
            "{}: no permission to create the transaction directory here",
            parent.display()
        )),
        (Err(e), _) | (_, Err(e)) => refuse(format!("cannot read {}: {e}", parent.display())),
        _ => Ok(()),
    }
}

/// Whether this process may create and rename entries in `dir`.
fn writable(dir: &Path) -> bool {
    let Ok(c) = CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access reads a NUL-terminated path.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn opts(allow_dirty: bool) -> WriteOptions {
        WriteOptions {
            allow_dirty,
            force: false,
        }
    }

    fn change(path: &str, old: Option<&str>, new: Option<&str>) -> FileChange {
        FileChange {
            path: PathBuf::from(path),
            old: old.map(String::from),
            new: new.map(String::from),
        }
    }

    fn put(root: &Path, rel: &str, content: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, content).expect("write");
    }

    fn read(root: &Path, rel: &str) -> String {
        fs::read_to_string(root.join(rel)).expect("read")
    }

    /// Every file under `dir` (relative paths, sorted), `.git` excluded.
    fn files(dir: &Path) -> Vec<String> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).expect("read_dir") {
                let path = entry.expect("entry").path();
                if path.file_name().is_some_and(|n| n == ".git") {
                    continue;
                }
                if path.is_dir() {
                    walk(base, &path, out);
                } else {
                    let rel = path.strip_prefix(base).expect("prefix");
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out.sort();
        out
    }

    fn git(root: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(root)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf8")
    }

    /// A git repo with `files` committed.
    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        git(dir.path(), &["init", "-q"]);
        for (p, c) in files {
            put(dir.path(), p, c);
        }
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", "init"]);
        dir
    }

    #[test]
    fn writes_new_changed_and_deleted_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        put(root, "flake.nix", "old\n");
        put(root, "gone.nix", "x\n");
        let changes = [
            change("flake.nix", Some("old\n"), Some("new\n")),
            change("nix/a/b/c.nix", None, Some("c\n")),
            change("gone.nix", Some("x\n"), None),
            change("already-gone.nix", Some("x\n"), None),
        ];
        let report = write_changes(root, &changes, opts(false)).expect("write");
        assert_eq!(read(root, "flake.nix"), "new\n");
        assert_eq!(read(root, "nix/a/b/c.nix"), "c\n");
        assert_eq!(files(root), ["flake.nix", "nix/a/b/c.nix"]);
        assert_eq!(
            report.written,
            [PathBuf::from("flake.nix"), "nix/a/b/c.nix".into()]
        );
        assert_eq!(report.created, [PathBuf::from("nix/a/b/c.nix")]);
        assert_eq!(report.deleted, [PathBuf::from("gone.nix")]);
        assert!(report.intent_to_add.is_empty());
    }

    #[test]
    fn rejects_paths_outside_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        fs::create_dir(&root).expect("mkdir");
        let outside = dir.path().join("outside");
        for bad in [
            "../x",
            "a/../../x",
            "./a",
            "a/.",
            "a//b",
            "",
            "/etc/passwd-test",
        ] {
            let bad_path = if bad.starts_with('/') {
                outside.join("abs").to_string_lossy().into_owned()
            } else {
                bad.to_string()
            };
            let changes = [
                change("ok.nix", None, Some("ok\n")),
                change(&bad_path, None, Some("evil\n")),
            ];
            let err = write_changes(&root, &changes, opts(false)).expect_err(bad);
            assert!(err.to_string().contains(&format!("{bad_path}: ")), "{err}");
            assert!(
                files(dir.path()).is_empty(),
                "{bad}: {:?}",
                files(dir.path())
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn rejects_symlinks_leading_outside_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        fs::create_dir(&root).expect("mkdir");
        fs::create_dir(&outside).expect("mkdir");
        std::os::unix::fs::symlink(&outside, root.join("link")).expect("symlink");
        std::os::unix::fs::symlink(outside.join("f"), root.join("file-link")).expect("symlink");
        fs::create_dir(root.join("inner")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("inner"), root.join("inner-link")).expect("symlink");

        let err = write_changes(
            &root,
            &[change("link/sub/x.nix", None, Some("x"))],
            opts(false),
        )
        .expect_err("outside");
        assert!(err.to_string().contains("link/sub/x.nix"), "{err}");
        let err = write_changes(&root, &[change("file-link", None, Some("x"))], opts(false))
            .expect_err("symlink target");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(fs::read_dir(&outside).expect("ls").next().is_none());
        // A symlink to a directory inside the root is fine.
        write_changes(
            &root,
            &[change("inner-link/x.nix", None, Some("x"))],
            opts(false),
        )
        .expect("inside");
        assert_eq!(read(&root, "inner/x.nix"), "x");
    }

    #[cfg(unix)]
    #[test]
    fn paths_into_git_or_the_nix_store_are_refused() {
        let dir = repo(&[("flake.nix", "v1\n")]);
        let root = dir.path();
        for bad in [".git/refs/heads/x.nix", "sub/.git/x", ".GIT/x"] {
            let err =
                write_changes(root, &[change(bad, None, Some("x"))], opts(false)).expect_err(bad);
            assert!(err.to_string().contains("inside `.git`"), "{bad}: {err}");
        }
        std::os::unix::fs::symlink(".git/refs", root.join("refs")).expect("symlink");
        let err = write_changes(
            root,
            &[change("refs/heads/x.nix", None, Some("x"))],
            opts(false),
        )
        .expect_err("through a link");
        assert!(err.to_string().contains("git directory"), "{err}");
        assert!(!root.join(".git/refs/heads/x.nix").exists());
        if Path::new("/nix/store").is_dir() {
            std::os::unix::fs::symlink("/nix/store", root.join("store")).expect("symlink");
            let err =
                check_paths(root, &[change("store/x.nix", None, Some("x"))]).expect_err("store");
            assert!(err.to_string().contains("Nix store"), "{err}");
        }
    }

    #[test]
    fn dirty_files_are_refused_unless_allowed() {
        let dir = repo(&[("flake.nix", "v1\n"), ("other.nix", "o\n")]);
        let root = dir.path();
        put(root, "flake.nix", "local edit\n");
        put(root, "untracked.nix", "u\n");
        let changes = [
            change("other.nix", Some("o\n"), Some("o2\n")),
            change("flake.nix", Some("local edit\n"), Some("v2\n")),
            change("untracked.nix", Some("u\n"), Some("u2\n")),
        ];
        let err = write_changes(root, &changes, opts(false)).expect_err("dirty");
        let msg = err.to_string();
        assert!(msg.contains("  flake.nix\n  untracked.nix\n"), "{msg}");
        assert!(!msg.contains("other.nix"), "{msg}");
        assert!(msg.contains("--allow-dirty"), "{msg}");
        assert_eq!(read(root, "other.nix"), "o\n");
        assert_eq!(read(root, "flake.nix"), "local edit\n");

        let report = write_changes(root, &changes, opts(true)).expect("allowed");
        assert_eq!(report.written.len(), 3);
        assert_eq!(read(root, "other.nix"), "o2\n");
        assert_eq!(read(root, "flake.nix"), "v2\n");
        assert_eq!(read(root, "untracked.nix"), "u2\n");
    }

    #[test]
    fn created_files_are_intent_to_add() {
        let dir = repo(&[("flake.nix", "v1\n")]);
        let root = dir.path();
        let changes = [
            change("flake.nix", Some("v1\n"), Some("v2\n")),
            change("nix/new.nix", None, Some("{ }\n")),
        ];
        let report = write_changes(root, &changes, opts(false)).expect("write");
        assert_eq!(report.intent_to_add, [PathBuf::from("nix/new.nix")]);
        assert_eq!(
            git(root, &["status", "--porcelain"]),
            " M flake.nix\n A nix/new.nix\n"
        );
        assert!(git(root, &["diff"]).contains("new file mode 100644"));
    }

    #[test]
    fn root_below_the_repository_root() {
        let dir = repo(&[("sub/flake.nix", "v1\n"), ("sub/dirty.nix", "d\n")]);
        put(dir.path(), "sub/dirty.nix", "edited\n");
        let sub = dir.path().join("sub");
        let err = write_changes(
            &sub,
            &[change("dirty.nix", Some("edited\n"), Some("x\n"))],
            opts(false),
        )
        .expect_err("dirty");
        assert!(err.to_string().contains("  dirty.nix\n"), "{err}");
        let report = write_changes(&sub, &[change("new.nix", None, Some("n\n"))], opts(false))
            .expect("write");
        assert_eq!(report.intent_to_add, [PathBuf::from("new.nix")]);
        assert_eq!(
            git(dir.path(), &["status", "--porcelain"]),
            " M sub/dirty.nix\n A sub/new.nix\n"
        );
    }

    #[test]
    fn failure_leaves_no_temp_files_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        put(root, "a.nix", "a\n");
        put(root, "blocker", "I am a file\n");
        let changes = [
            change("a.nix", Some("a\n"), Some("A\n")),
            change("fresh/dir/n.nix", None, Some("n\n")),
            change("blocker/x.nix", None, Some("x\n")),
            change("z.nix", None, Some("z\n")),
        ];
        let err = write_changes(root, &changes, opts(false)).expect_err("blocked");
        assert!(err.to_string().contains("blocker/x.nix"), "{err}");
        assert_eq!(files(root), ["a.nix", "blocker"]);
        assert!(!root.join("fresh").exists());
        assert_eq!(read(root, "a.nix"), "a\n");
    }

    #[test]
    fn directory_target_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("d")).expect("mkdir");
        let err = write_changes(dir.path(), &[change("d", None, Some("x"))], opts(false))
            .expect_err("dir");
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        put(root, "run.sh", "#!/bin/sh\n");
        fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o750)).expect("chmod");
        write_changes(
            root,
            &[change(
                "run.sh",
                Some("#!/bin/sh\n"),
                Some("#!/bin/sh\necho\n"),
            )],
            opts(false),
        )
        .expect("write");
        let mode = fs::metadata(root.join("run.sh"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o750);
        assert_eq!(read(root, "run.sh"), "#!/bin/sh\necho\n");
    }
}
