//! Putting a run's changes on disk, all or nothing as far as the file system
//! allows: every new content is first written and synced to a temporary file
//! beside its target, and only then are the temporaries renamed into place.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::output::git;
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

/// Write `changes` (paths relative to `root`) to disk.
///
/// 1. Every path must stay inside `root`: absolute paths, `..` components,
///    symlinked directories leading outside `root`, symlinks or directories
///    as the file to write, and directories as the file to delete are refused.
/// 2. When `root` is in a git work tree and `allow_dirty` is false, files with
///    uncommitted changes (see [`git::dirty_paths`]) are refused.
/// 3. New contents go to temporary files `.<name>.flake-refactor-<pid>.tmp`
///    beside their targets, synced, with the permissions of the file they
///    replace; if any of them fails, all are removed (with the directories
///    created for them) and nothing is written. Then each is renamed over its
///    target, and the files whose change has no new content are deleted.
/// 4. In a git work tree, created files are marked intent-to-add.
///
/// Refusals in steps 1–3 leave the disk as it was. A failure during the
/// renames (after all temporaries were written) or in step 4 is reported as
/// an error that says which files were already written.
pub fn write_changes(
    root: &Path,
    changes: &[FileChange],
    allow_dirty: bool,
) -> Result<WriteReport, Error> {
    let root = root.canonicalize().map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    for change in changes {
        check_target(&root, change)?;
    }

    // The repository's work tree root and `root`'s place inside it.
    let repo = git::discover_root(&root).and_then(|repo_root| {
        let prefix = root.strip_prefix(&repo_root).ok()?.to_path_buf();
        Some((repo_root, prefix))
    });
    if let (Some((repo_root, prefix)), false) = (&repo, allow_dirty) {
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

    let mut staged = Staged::default();
    if let Err(e) = staged.stage_all(&root, changes) {
        staged.discard();
        return Err(e);
    }

    let mut report = WriteReport::default();
    let mut temps = std::mem::take(&mut staged.temps).into_iter();
    while let Some((temp, change)) = temps.next() {
        let target = root.join(&change.path);
        if let Err(e) = fs::rename(&temp, &target) {
            let _ = fs::remove_file(&temp);
            for (rest, _) in temps {
                let _ = fs::remove_file(rest);
            }
            return Err(partial(
                &report,
                format!("{}: cannot replace the file: {e}", change.path.display()),
            ));
        }
        report.written.push(change.path.clone());
        if change.old.is_none() {
            report.created.push(change.path.clone());
        }
    }
    for change in changes.iter().filter(|c| c.new.is_none()) {
        match fs::remove_file(root.join(&change.path)) {
            Ok(()) => report.deleted.push(change.path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(partial(
                    &report,
                    format!("{}: cannot delete the file: {e}", change.path.display()),
                ))
            }
        }
    }
    sync_parents(&root, changes);

    if let Some((repo_root, prefix)) = &repo {
        let in_repo: Vec<PathBuf> = report.created.iter().map(|p| prefix.join(p)).collect();
        git::add_intent_to_add(repo_root, &in_repo).map_err(|e| {
            partial(
                &report,
                format!("cannot mark new files intent-to-add in git: {e}"),
            )
        })?;
        report.intent_to_add = report.created.clone();
    }
    Ok(report)
}

/// Refuse a change whose path is not plainly inside `root` (canonical), or
/// whose target cannot be replaced by a regular file.
fn check_target(root: &Path, change: &FileChange) -> Result<(), Error> {
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
    let target = root.join(rel);
    // The deepest existing ancestor must resolve to a place inside root.
    let mut dir = target.parent();
    while let Some(d) = dir {
        if fs::symlink_metadata(d).is_ok() {
            match d.canonicalize() {
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

/// Temporary files written so far and the directories created for them.
#[derive(Default)]
struct Staged<'c> {
    temps: Vec<(PathBuf, &'c FileChange)>,
    dirs: Vec<PathBuf>,
}

impl<'c> Staged<'c> {
    /// Write every new content to a synced temporary file beside its target.
    fn stage_all(&mut self, root: &Path, changes: &'c [FileChange]) -> Result<(), Error> {
        for change in changes {
            let Some(content) = &change.new else { continue };
            let target = root.join(&change.path);
            let io = |source| Error::Io {
                path: change.path.clone(),
                source,
            };
            let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
                return Err(Error::Output(format!(
                    "{}: not a file path",
                    change.path.display()
                )));
            };
            self.create_dirs(root, parent).map_err(io)?;
            let temp = parent.join(format!(
                ".{}.flake-refactor-{}.tmp",
                name.to_string_lossy(),
                std::process::id()
            ));
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .map_err(io)?;
            self.temps.push((temp.clone(), change));
            file.write_all(content.as_bytes()).map_err(io)?;
            if let Ok(meta) = fs::metadata(&target) {
                fs::set_permissions(&temp, meta.permissions()).map_err(io)?;
            }
            file.sync_all().map_err(io)?;
        }
        Ok(())
    }

    /// Create `dir` and its missing ancestors below `root`, remembering them.
    fn create_dirs(&mut self, root: &Path, dir: &Path) -> std::io::Result<()> {
        let missing: Vec<&Path> = dir
            .ancestors()
            .take_while(|d| *d != root && fs::symlink_metadata(d).is_err())
            .collect();
        for d in missing.into_iter().rev() {
            fs::create_dir(d)?;
            self.dirs.push(d.to_path_buf());
        }
        Ok(())
    }

    /// Remove the temporary files and the directories created for them.
    fn discard(&mut self) {
        for (temp, _) in self.temps.drain(..) {
            let _ = fs::remove_file(temp);
        }
        for dir in self.dirs.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Flush the directory entries of renamed and deleted files (best effort).
fn sync_parents(root: &Path, changes: &[FileChange]) {
    let mut dirs: Vec<PathBuf> = changes
        .iter()
        .filter_map(|c| root.join(&c.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
    }
}

/// An error after some files were already written, naming them.
fn partial(report: &WriteReport, message: String) -> Error {
    if report.written.is_empty() && report.deleted.is_empty() {
        return Error::Output(message);
    }
    let done: Vec<String> = report
        .written
        .iter()
        .chain(&report.deleted)
        .map(|p| format!("  {}", p.display()))
        .collect();
    Error::Output(format!(
        "{message}\nthese files were already changed:\n{}",
        done.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

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
        let report = write_changes(root, &changes, false).expect("write");
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
            let err = write_changes(&root, &changes, false).expect_err(bad);
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

        let err = write_changes(&root, &[change("link/sub/x.nix", None, Some("x"))], false)
            .expect_err("outside");
        assert!(err.to_string().contains("link/sub/x.nix"), "{err}");
        let err = write_changes(&root, &[change("file-link", None, Some("x"))], false)
            .expect_err("symlink target");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(fs::read_dir(&outside).expect("ls").next().is_none());
        // A symlink to a directory inside the root is fine.
        write_changes(&root, &[change("inner-link/x.nix", None, Some("x"))], false)
            .expect("inside");
        assert_eq!(read(&root, "inner/x.nix"), "x");
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
        let err = write_changes(root, &changes, false).expect_err("dirty");
        let msg = err.to_string();
        assert!(msg.contains("  flake.nix\n  untracked.nix\n"), "{msg}");
        assert!(!msg.contains("other.nix"), "{msg}");
        assert!(msg.contains("--allow-dirty"), "{msg}");
        assert_eq!(read(root, "other.nix"), "o\n");
        assert_eq!(read(root, "flake.nix"), "local edit\n");

        let report = write_changes(root, &changes, true).expect("allowed");
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
        let report = write_changes(root, &changes, false).expect("write");
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
            false,
        )
        .expect_err("dirty");
        assert!(err.to_string().contains("  dirty.nix\n"), "{err}");
        let report =
            write_changes(&sub, &[change("new.nix", None, Some("n\n"))], false).expect("write");
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
        let err = write_changes(root, &changes, false).expect_err("blocked");
        assert!(err.to_string().contains("blocker/x.nix"), "{err}");
        assert_eq!(files(root), ["a.nix", "blocker"]);
        assert!(!root.join("fresh").exists());
        assert_eq!(read(root, "a.nix"), "a\n");
    }

    #[test]
    fn directory_target_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("d")).expect("mkdir");
        let err =
            write_changes(dir.path(), &[change("d", None, Some("x"))], false).expect_err("dir");
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
            false,
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
