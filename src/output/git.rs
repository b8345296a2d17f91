//! Git plumbing through libgit2: finding the work tree, spotting files with
//! uncommitted changes, marking new files intent-to-add, and committing a
//! run's changes to a branch without touching the work tree.

use std::path::{Component, Path, PathBuf};

use git2::build::TreeUpdateBuilder;
use git2::{FileMode, IndexEntry, IndexTime, Repository, Signature, Status, StatusOptions};

use crate::error::Error;
use crate::workspace::FileChange;

/// The work tree root of the git repository containing `start`, canonicalized;
/// `None` when `start` is not inside a repository or the repository is bare.
pub fn discover_root(start: &Path) -> Option<PathBuf> {
    let repo = Repository::discover(start).ok()?;
    if repo.is_bare() {
        return None;
    }
    repo.workdir()?.canonicalize().ok()
}

/// The git directory (`.git`, or `.git/worktrees/NAME` for a linked work
/// tree) of the non-bare repository containing `start`, canonicalized.
pub fn git_dir(start: &Path) -> Option<PathBuf> {
    let repo = Repository::discover(start).ok()?;
    if repo.is_bare() {
        return None;
    }
    repo.path().canonicalize().ok()
}

/// The index file of the repository whose work tree root is `root`.
pub fn index_path(root: &Path) -> Result<PathBuf, Error> {
    let repo = open(root)?;
    let dir = repo.path().canonicalize().map_err(|source| Error::Io {
        path: repo.path().to_path_buf(),
        source,
    })?;
    Ok(dir.join("index"))
}

/// Of `paths` (relative to the work tree root `root`), those with changes git
/// has not committed: modified, deleted, renamed or type-changed in the work
/// tree or in the index relative to HEAD, untracked but existing, ignored but
/// existing, or conflicted. A path that exists nowhere is not dirty. In a
/// repository without commits every existing file is dirty. The result keeps
/// the order of `paths`.
pub fn dirty_paths(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let repo = open(root)?;
    let names = paths
        .iter()
        .map(|p| git_path(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(true)
        .recurse_ignored_dirs(true)
        .include_unmodified(false)
        .disable_pathspec_match(true);
    for name in &names {
        opts.pathspec(name);
    }
    let statuses = repo
        .statuses(Some(&mut opts))
        .map_err(|e| git_error("cannot read git status", e))?;
    let dirty_mask = Status::INDEX_NEW
        | Status::INDEX_MODIFIED
        | Status::INDEX_DELETED
        | Status::INDEX_RENAMED
        | Status::INDEX_TYPECHANGE
        | Status::WT_NEW
        | Status::WT_MODIFIED
        | Status::WT_DELETED
        | Status::WT_RENAMED
        | Status::WT_TYPECHANGE
        | Status::IGNORED
        | Status::CONFLICTED;
    let dirty: Vec<Vec<u8>> = statuses
        .iter()
        .filter(|entry| entry.status().intersects(dirty_mask))
        .map(|entry| entry.path_bytes().to_vec())
        .collect();
    Ok(paths
        .iter()
        .zip(&names)
        .filter(|(_, name)| dirty.iter().any(|d| d == name.as_bytes()))
        .map(|(path, _)| path.clone())
        .collect())
}

/// Like `git add -N` (intent to add): for each of `paths` (relative to the
/// work tree root `root`) that has no index entry yet, add an entry with the
/// empty blob, mode 100644 and the intent-to-add flag, then write the index.
/// The file then shows in `git status` as ` A` and in `git diff` as a new
/// file, and Nix flakes see it. Paths already in the index are left alone.
/// The empty blob is written to the object database if missing.
/// Unlike `git add -N`, ignored paths are added too (as with `-f`): a file a
/// codemod creates must be visible to the flake.
pub fn add_intent_to_add(root: &Path, paths: &[PathBuf]) -> Result<(), Error> {
    if paths.is_empty() {
        return Ok(());
    }
    let repo = open(root)?;
    let mut index = repo
        .index()
        .map_err(|e| git_error("cannot read the git index", e))?;
    if add_entries(&repo, &mut index, paths)? {
        index
            .write()
            .map_err(|e| git_error("cannot write the git index", e))?;
    }
    Ok(())
}

/// [`add_intent_to_add`] on a copy of the index: `index_file` holds a copy
/// of the repository's index (or does not exist, for a repository without
/// one); the entries are added to it and it is written in place. The
/// repository's own index is not touched (the write transaction renames the
/// copy over it).
pub fn intent_to_add_in(root: &Path, index_file: &Path, paths: &[PathBuf]) -> Result<(), Error> {
    let repo = open(root)?;
    let mut index = git2::Index::open(index_file)
        .map_err(|e| git_error("cannot read the copy of the git index", e))?;
    add_entries(&repo, &mut index, paths)?;
    index
        .write()
        .map_err(|e| git_error("cannot write the copy of the git index", e))
}

/// Add intent-to-add entries for those of `paths` not in `index` yet;
/// whether any was added.
fn add_entries(
    repo: &Repository,
    index: &mut git2::Index,
    paths: &[PathBuf],
) -> Result<bool, Error> {
    // libgit2 only indexes objects that exist, so store the empty blob
    // (git itself knows it without storing it).
    let empty_blob = repo
        .blob(b"")
        .map_err(|e| git_error("cannot write the empty blob", e))?;
    let mut changed = false;
    for path in paths {
        let name = git_path(path)?;
        if index.get_path(Path::new(&name), 0).is_some() {
            continue;
        }
        let entry = IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: 0,
            id: empty_blob,
            flags: INDEX_ENTRY_EXTENDED,
            flags_extended: INDEX_ENTRY_INTENT_TO_ADD,
            path: name.into_bytes(),
        };
        index
            .add(&entry)
            .map_err(|e| git_error(&format!("cannot add {} to the index", path.display()), e))?;
        changed = true;
    }
    Ok(changed)
}

/// `GIT_INDEX_ENTRY_EXTENDED`: the entry has extended flags.
const INDEX_ENTRY_EXTENDED: u16 = 0x4000;
/// `GIT_INDEX_ENTRY_INTENT_TO_ADD`, an extended flag.
const INDEX_ENTRY_INTENT_TO_ADD: u16 = 1 << 13;

/// What [`commit_to_branch`] should commit, and where.
pub struct BranchRequest<'a> {
    /// The branch name, without `refs/heads/`.
    pub name: &'a str,
    /// Replace the branch when it already exists.
    pub force: bool,
    /// The commit message.
    pub message: &'a str,
    /// The changes to apply on top of HEAD's tree.
    pub changes: &'a [FileChange],
    /// The author given on the command line (`--author`), overriding git's.
    pub author: Option<&'a Identity>,
}

/// Who a commit is by: a name and an email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Identity {
    /// Parse `Name <mail>`, as `git commit --author` takes it.
    pub fn parse(text: &str) -> Result<Identity, Error> {
        let bad = || {
            Error::Usage(format!(
                "--author `{text}`: expected `Name <email>`, e.g. --author \"Ada Lovelace <ada@example.org>\""
            ))
        };
        let (name, rest) = text.trim().split_once('<').ok_or_else(bad)?;
        let email = rest.strip_suffix('>').ok_or_else(bad)?;
        let (name, email) = (name.trim(), email.trim());
        if name.is_empty() || email.is_empty() || email.contains(['<', '>']) {
            return Err(bad());
        }
        Ok(Identity {
            name: name.to_string(),
            email: email.to_string(),
        })
    }

    fn signature(&self) -> Result<Signature<'static>, Error> {
        Signature::now(&self.name, &self.email)
            .map_err(|e| git_error("cannot make a commit signature", e))
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// The author and committer of a commit made in the repository at `root`,
/// found as git finds them: `GIT_AUTHOR_NAME`/`GIT_AUTHOR_EMAIL` (and the
/// `GIT_COMMITTER_` pair), then `author.*`/`committer.*`, then
/// `user.name`/`user.email` from git config, then `EMAIL` for the address.
/// `author` (from `--author`) replaces the author, and is the committer too
/// when git has no identity. Without any identity this refuses, naming the
/// `git config` commands that set one.
pub fn commit_identities(
    root: &Path,
    author: Option<&Identity>,
) -> Result<(Identity, Identity), Error> {
    let repo = open(root)?;
    let config = repo.config().ok();
    let lookup = |role: &str| -> Option<Identity> {
        let value = |env: &str, keys: &[&str]| -> Option<String> {
            std::env::var(env)
                .ok()
                .or_else(|| {
                    keys.iter()
                        .find_map(|k| config.as_ref()?.get_string(k).ok())
                })
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let upper = role.to_uppercase();
        let name = value(
            &format!("GIT_{upper}_NAME"),
            &[&format!("{role}.name"), "user.name"],
        )?;
        let email = value(
            &format!("GIT_{upper}_EMAIL"),
            &[&format!("{role}.email"), "user.email"],
        )
        .or_else(|| std::env::var("EMAIL").ok().filter(|v| !v.trim().is_empty()))?;
        Some(Identity { name, email })
    };
    let committer = lookup("committer");
    match (author, lookup("author"), committer) {
        (Some(a), _, Some(c)) => Ok((a.clone(), c)),
        (Some(a), _, None) => Ok((a.clone(), a.clone())),
        (None, Some(a), Some(c)) => Ok((a, c)),
        _ => Err(Error::Output(
            "--branch needs an identity for the commit, and git has none; set one with\n  \
             git config user.name \"Your Name\"\n  \
             git config user.email \"you@example.com\"\n\
             (add --global to set it for every repository), or pass --author \"Name <email>\""
                .into(),
        )),
    }
}

/// The result of [`commit_to_branch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchReport {
    /// The branch name, without `refs/heads/`.
    pub branch: String,
    /// The new commit's id, in hex.
    pub commit: String,
}

/// Commit `req.changes` on top of HEAD's commit to the branch `req.name`,
/// creating it (or, with `req.force`, replacing it). The new tree is HEAD's
/// tree with each change applied: created and changed files get their new
/// content with mode 100644, or 100755 if HEAD has them executable; deleted
/// files are removed. Author and committer come from [`commit_identities`];
/// without an identity nothing is written.
///
/// The work tree, the index and HEAD are not touched. Refuses when `root` is
/// not a git repository, HEAD has no commit, the name is not a valid branch
/// name, the branch exists and `req.force` is false, or the branch is checked
/// out (in this or a linked work tree).
pub fn commit_to_branch(root: &Path, req: &BranchRequest) -> Result<BranchReport, Error> {
    let repo = open(root)?;
    if !git2::Branch::name_is_valid(req.name).unwrap_or(false) {
        return Err(Error::Output(format!(
            "`{}` is not a valid branch name",
            req.name
        )));
    }
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(|_| {
        Error::Output("HEAD has no commit to branch from; make a first commit".into())
    })?;
    let refname = format!("refs/heads/{}", req.name);
    if repo.find_reference(&refname).is_ok() {
        if !req.force {
            return Err(Error::Output(format!(
                "branch `{}` already exists; pass --force to replace it, or name another branch",
                req.name
            )));
        }
        if is_checked_out(&repo, &refname) {
            return Err(Error::Output(format!(
                "branch `{}` is checked out; refusing to move it",
                req.name
            )));
        }
    }

    let head_tree = head
        .tree()
        .map_err(|e| git_error("cannot read HEAD's tree", e))?;
    let mut update = TreeUpdateBuilder::new();
    for change in req.changes {
        let name = git_path(&change.path)?;
        let existing = head_tree.get_path(Path::new(&name)).ok();
        match &change.new {
            Some(content) => {
                let blob = repo
                    .blob(content.as_bytes())
                    .map_err(|e| git_error("cannot write a blob", e))?;
                let mode = match existing {
                    Some(e) if e.filemode() == i32::from(FileMode::BlobExecutable) => {
                        FileMode::BlobExecutable
                    }
                    _ => FileMode::Blob,
                };
                update.upsert(name, blob, mode);
            }
            None if existing.is_some() => {
                update.remove(name);
            }
            None => {}
        }
    }
    let tree_id = update
        .create_updated(&repo, &head_tree)
        .map_err(|e| git_error("cannot build the new tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| git_error("cannot read the new tree", e))?;
    let (author, committer) = commit_identities(root, req.author)?;
    let commit = repo
        .commit(
            None,
            &author.signature()?,
            &committer.signature()?,
            req.message,
            &tree,
            &[&head],
        )
        .map_err(|e| git_error("cannot create the commit", e))?;
    let log = format!(
        "flake-refactor: {}",
        req.message.lines().next().unwrap_or("")
    );
    repo.reference(&refname, commit, req.force, &log)
        .map_err(|e| git_error(&format!("cannot update branch `{}`", req.name), e))?;
    Ok(BranchReport {
        branch: req.name.to_string(),
        commit: commit.to_string(),
    })
}

/// Whether HEAD of this repository or of one of its linked work trees is the
/// branch `refname`.
fn is_checked_out(repo: &Repository, refname: &str) -> bool {
    let head_is = |r: &Repository| {
        r.find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().map(|t| t == refname))
            .unwrap_or(false)
    };
    if head_is(repo) {
        return true;
    }
    let Ok(names) = repo.worktrees() else {
        return false;
    };
    names.iter().flatten().any(|name| {
        repo.find_worktree(name)
            .and_then(|wt| Repository::open_from_worktree(&wt))
            .map(|r| head_is(&r))
            .unwrap_or(false)
    })
}

fn open(root: &Path) -> Result<Repository, Error> {
    Repository::open(root).map_err(|e| {
        Error::Output(format!(
            "{}: not a git repository ({})",
            root.display(),
            e.message()
        ))
    })
}

fn git_error(context: &str, e: git2::Error) -> Error {
    Error::Output(format!("{context}: {}", e.message()))
}

/// `path` as git names it: relative, `/`-separated, UTF-8.
fn git_path(path: &Path) -> Result<String, Error> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().ok_or_else(|| {
                Error::Output(format!("{}: path is not valid UTF-8", path.display()))
            })?),
            Component::CurDir => {}
            _ => {
                return Err(Error::Output(format!(
                    "{}: not a path inside the repository",
                    path.display()
                )))
            }
        }
    }
    if parts.is_empty() {
        return Err(Error::Output(format!("`{}`: empty path", path.display())));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{ObjectType, Oid};
    use std::process::Command;

    fn test_sig() -> Signature<'static> {
        Signature::now("Test", "test@example.com").expect("signature")
    }

    fn init() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        // An identity of the repository's own, whatever the machine has.
        let mut config = repo.config().expect("config");
        config.set_str("user.name", "Test").expect("user.name");
        config
            .set_str("user.email", "test@example.com")
            .expect("user.email");
        (dir, repo)
    }

    /// Commit the whole work tree (like `git add -A && git commit`).
    fn commit_all(repo: &Repository, message: &str) -> Oid {
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add_all");
        index.update_all(["*"], None).expect("update_all");
        index.write().expect("write index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("find tree");
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        let sig = test_sig();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit")
    }

    fn write(root: &Path, rel: &str, content: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }

    fn git(root: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf8")
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    fn change(path: &str, old: Option<&str>, new: Option<&str>) -> FileChange {
        FileChange {
            path: PathBuf::from(path),
            old: old.map(String::from),
            new: new.map(String::from),
        }
    }

    #[test]
    fn discover_root_finds_work_tree() {
        let (dir, _repo) = init();
        write(dir.path(), "sub/dir/f", "x");
        let canonical = dir.path().canonicalize().expect("canonical");
        assert_eq!(
            discover_root(&dir.path().join("sub/dir")),
            Some(canonical.clone())
        );
        assert_eq!(discover_root(dir.path()), Some(canonical));

        let bare = tempfile::tempdir().expect("tempdir");
        Repository::init_bare(bare.path()).expect("bare");
        assert_eq!(discover_root(bare.path()), None);
    }

    #[test]
    fn discover_root_outside_repo() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A temp dir is normally not inside a repository; if it is, skip.
        if Repository::discover(dir.path()).is_err() {
            assert_eq!(discover_root(dir.path()), None);
        }
    }

    #[test]
    fn dirty_paths_classifies() {
        let (dir, repo) = init();
        let root = dir.path();
        for f in ["clean", "modified", "deleted", "staged", "sub/clean"] {
            write(root, f, "v1\n");
        }
        write(root, ".gitignore", "ignored*\n");
        commit_all(&repo, "first");
        write(root, "modified", "v2\n");
        std::fs::remove_file(root.join("deleted")).expect("rm");
        write(root, "staged", "v2\n");
        let mut index = repo.index().expect("index");
        index.add_path(Path::new("staged")).expect("add");
        index.write().expect("write");
        write(root, "staged", "v1\n"); // staged change, work tree back to HEAD
        write(root, "untracked", "u\n");
        write(root, "newdir/untracked", "u\n");
        write(root, "ignored.nix", "i\n");

        let all = paths(&[
            "clean",
            "modified",
            "deleted",
            "staged",
            "sub/clean",
            "untracked",
            "newdir/untracked",
            "ignored.nix",
            "missing",
            "newdir/missing",
        ]);
        let dirty = dirty_paths(root, &all).expect("dirty");
        assert_eq!(
            dirty,
            paths(&[
                "modified",
                "deleted",
                "staged",
                "untracked",
                "newdir/untracked",
                "ignored.nix"
            ])
        );
        assert!(dirty_paths(root, &[]).expect("empty").is_empty());
    }

    #[test]
    fn dirty_paths_without_commits() {
        let (dir, _repo) = init();
        write(dir.path(), "a", "a\n");
        let dirty = dirty_paths(dir.path(), &paths(&["a", "b"])).expect("dirty");
        assert_eq!(dirty, paths(&["a"]));
    }

    #[test]
    fn intent_to_add_is_understood_by_git() {
        let (dir, repo) = init();
        let root = dir.path();
        write(root, "tracked", "t\n");
        commit_all(&repo, "first");
        write(root, "new.nix", "{ }\n");
        write(root, "nix/deep.nix", "1\n");
        add_intent_to_add(root, &paths(&["new.nix", "nix/deep.nix", "tracked"]))
            .expect("intent to add");

        let status = git(root, &["status", "--porcelain"]);
        assert_eq!(status, " A new.nix\n A nix/deep.nix\n");
        let diff = git(root, &["diff"]);
        assert!(
            diff.contains("diff --git a/new.nix b/new.nix\nnew file mode 100644\n"),
            "{diff}"
        );
        assert!(diff.contains("+{ }\n"), "{diff}");
        let files = git(root, &["ls-files", "--stage"]);
        assert!(
            files.contains("100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\tnew.nix"),
            "{files}"
        );
        // The index is consistent for git itself, and git sees the flag:
        // like after `git add -N`, the new files are left out of a tree.
        git(root, &["fsck", "--no-progress"]);
        let tree = git(root, &["write-tree"]);
        assert_eq!(
            git(root, &["ls-tree", "-r", "--name-only", tree.trim()]),
            "tracked\n"
        );
        // Running again changes nothing, and libgit2 still reads the index.
        add_intent_to_add(root, &paths(&["new.nix"])).expect("again");
        assert_eq!(git(root, &["status", "--porcelain"]), status);
        let mut index = repo.index().expect("index");
        index.read(true).expect("reread index");
        let entry = index.get_path(Path::new("new.nix"), 0).expect("entry");
        assert!(entry.flags_extended & INDEX_ENTRY_INTENT_TO_ADD != 0);
        // `git add` turns it into a normal entry.
        git(root, &["add", "new.nix"]);
        assert_eq!(
            git(root, &["status", "--porcelain"]),
            "A  new.nix\n A nix/deep.nix\n"
        );
    }

    #[test]
    fn intent_to_add_in_repo_without_commits() {
        let (dir, _repo) = init();
        write(dir.path(), "flake.nix", "{ }\n");
        add_intent_to_add(dir.path(), &paths(&["flake.nix"])).expect("ita");
        assert_eq!(
            git(dir.path(), &["status", "--porcelain"]),
            " A flake.nix\n"
        );
    }

    struct Fixture {
        dir: tempfile::TempDir,
        repo: Repository,
        head: Oid,
        head_ref: String,
    }

    fn fixture() -> Fixture {
        let (dir, repo) = init();
        let root = dir.path();
        write(root, "flake.nix", "old flake\n");
        write(root, "gone.nix", "bye\n");
        write(root, "keep/k.nix", "k\n");
        write(root, "run.sh", "#!/bin/sh\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.join("run.sh"), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let head = commit_all(&repo, "first");
        repo.config()
            .and_then(|mut c| {
                c.set_str("user.name", "Test")?;
                c.set_str("user.email", "test@example.com")
            })
            .expect("config");
        let head_ref = repo.head().expect("head").name().expect("name").to_string();
        Fixture {
            dir,
            repo,
            head,
            head_ref,
        }
    }

    fn tree_contents(repo: &Repository, commit: Oid) -> Vec<(String, i32, String)> {
        let tree = repo
            .find_commit(commit)
            .expect("commit")
            .tree()
            .expect("tree");
        let mut out = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob) {
                let blob = repo.find_blob(entry.id()).expect("blob");
                out.push((
                    format!("{dir}{}", entry.name().unwrap_or("")),
                    entry.filemode(),
                    String::from_utf8_lossy(blob.content()).into_owned(),
                ));
            }
            git2::TreeWalkResult::Ok
        })
        .expect("walk");
        out
    }

    #[test]
    fn commit_to_branch_leaves_work_tree_index_and_head_alone() {
        let f = fixture();
        let root = f.dir.path();
        // An uncommitted change in the work tree, to check it is kept.
        write(root, "keep/k.nix", "dirty\n");
        let index_before = std::fs::read(root.join(".git/index")).expect("index");
        let changes = [
            change("flake.nix", Some("old flake\n"), Some("new flake\n")),
            change("new/dir/file.nix", None, Some("fresh\n")),
            change("gone.nix", Some("bye\n"), None),
            change("run.sh", Some("#!/bin/sh\n"), Some("#!/bin/sh\necho\n")),
            change("never-existed", Some("x"), None),
        ];
        let req = BranchRequest {
            name: "refactor/x",
            force: false,
            message: "Refactor things\n\nBody.\n",
            changes: &changes,
            author: None,
        };
        let report = commit_to_branch(root, &req).expect("commit");
        assert_eq!(report.branch, "refactor/x");

        let branch = f
            .repo
            .find_reference("refs/heads/refactor/x")
            .expect("branch");
        let commit_id = branch.target().expect("target");
        assert_eq!(commit_id.to_string(), report.commit);
        let commit = f.repo.find_commit(commit_id).expect("commit");
        assert_eq!(commit.message(), Some("Refactor things\n\nBody.\n"));
        assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![f.head]);
        assert_eq!(commit.author().name(), Some("Test"));
        assert_eq!(
            tree_contents(&f.repo, commit_id),
            vec![
                ("flake.nix".to_string(), 0o100644, "new flake\n".to_string()),
                ("keep/k.nix".to_string(), 0o100644, "k\n".to_string()),
                (
                    "new/dir/file.nix".to_string(),
                    0o100644,
                    "fresh\n".to_string()
                ),
                (
                    "run.sh".to_string(),
                    0o100755,
                    "#!/bin/sh\necho\n".to_string()
                ),
            ]
        );

        // HEAD, index and work tree are untouched.
        let head = f.repo.head().expect("head");
        assert!(head.is_branch());
        assert_eq!(head.name(), Some(f.head_ref.as_str()));
        assert_eq!(head.target(), Some(f.head));
        assert_eq!(
            std::fs::read(root.join(".git/index")).expect("index"),
            index_before
        );
        assert_eq!(
            std::fs::read_to_string(root.join("flake.nix")).expect("read"),
            "old flake\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("keep/k.nix")).expect("read"),
            "dirty\n"
        );
        assert!(root.join("gone.nix").exists());
        assert!(!root.join("new").exists());
        assert_eq!(git(root, &["status", "--porcelain"]), " M keep/k.nix\n");

        // An existing branch is refused without force, replaced with force.
        let again = commit_to_branch(root, &req).expect_err("exists");
        assert!(again.to_string().contains("already exists"), "{again}");
        assert_eq!(
            f.repo
                .find_reference("refs/heads/refactor/x")
                .expect("b")
                .target(),
            Some(commit_id)
        );
        let forced = BranchRequest {
            force: true,
            message: "second",
            ..req
        };
        let report2 = commit_to_branch(root, &forced).expect("force");
        assert_ne!(report2.commit, report.commit);
        let target = f
            .repo
            .find_reference("refs/heads/refactor/x")
            .expect("b")
            .target()
            .expect("target");
        assert_eq!(target.to_string(), report2.commit);
        assert_eq!(
            f.repo
                .find_commit(target)
                .expect("c")
                .parent_ids()
                .collect::<Vec<_>>(),
            vec![f.head]
        );
        assert_eq!(f.repo.head().expect("head").target(), Some(f.head));
    }

    #[test]
    fn commit_to_branch_refusals() {
        let f = fixture();
        let root = f.dir.path();
        let changes = [change("flake.nix", Some("old flake\n"), Some("x\n"))];
        let req = |name| BranchRequest {
            name,
            force: true,
            message: "m",
            changes: &changes,
            author: None,
        };
        for bad in ["", "a..b", "-x", "a b", "x.lock", "HEAD"] {
            let err = commit_to_branch(root, &req(bad)).expect_err(bad);
            assert!(
                err.to_string().contains("not a valid branch name"),
                "{bad}: {err}"
            );
        }
        // The checked-out branch cannot be replaced, even with force.
        let current = f.repo.head().expect("head");
        let current = current.shorthand().expect("shorthand");
        let err = commit_to_branch(root, &req(current)).expect_err("current");
        assert!(err.to_string().contains("checked out"), "{err}");
        assert_eq!(f.repo.head().expect("head").target(), Some(f.head));

        let plain = tempfile::tempdir().expect("tempdir");
        let err = commit_to_branch(&plain.path().join("nothing"), &req("b")).expect_err("no repo");
        assert!(err.to_string().contains("not a git repository"), "{err}");

        let (empty, _repo) = init();
        let err = commit_to_branch(empty.path(), &req("b")).expect_err("no commit");
        assert!(err.to_string().contains("HEAD has no commit"), "{err}");
    }

    #[test]
    fn identities_parse_and_the_command_line_author_wins() {
        assert_eq!(
            Identity::parse(" Ada Lovelace <ada@example.org> ").expect("parse"),
            Identity {
                name: "Ada Lovelace".into(),
                email: "ada@example.org".into()
            }
        );
        for bad in ["Ada", "<ada@example.org>", "Ada <>", "Ada <a", "Ada <a<b>"] {
            assert!(Identity::parse(bad).is_err(), "{bad}");
        }
        let (dir, _repo) = init();
        let given = Identity::parse("Given <given@example.org>").expect("parse");
        let (author, _) = commit_identities(dir.path(), Some(&given)).expect("identity");
        assert_eq!(author, given);
        let (author, committer) = commit_identities(dir.path(), None).expect("identity");
        // The repository's config, unless the environment overrides it.
        if std::env::var_os("GIT_AUTHOR_NAME").is_none()
            && std::env::var_os("GIT_AUTHOR_EMAIL").is_none()
        {
            assert_eq!(author.to_string(), "Test <test@example.com>");
        }
        if std::env::var_os("GIT_COMMITTER_NAME").is_none() {
            assert_eq!(committer.name, "Test");
        }
    }

    #[test]
    fn git_path_rejects_escapes() {
        assert_eq!(git_path(Path::new("a/./b")).expect("ok"), "a/b");
        assert!(git_path(Path::new("../a")).is_err());
        assert!(git_path(Path::new("/a")).is_err());
        assert!(git_path(Path::new("")).is_err());
    }
}
