//! An in-memory overlay of the repository's files.
//!
//! Codemods read files through the workspace and the engine records their
//! results here. Nothing touches the disk until `output::write` runs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location};

/// One file the run would create, change or delete.
/// `path` is relative to the repository root and uses `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// Content before the run; `None` for a file that does not exist yet.
    pub old: Option<String>,
    /// Content after the run; `None` for a file the run deletes.
    pub new: Option<String>,
}

impl FileChange {
    pub fn is_create(&self) -> bool {
        self.old.is_none() && self.new.is_some()
    }
}

/// The repository on disk plus the run's pending edits.
pub struct Workspace {
    root: PathBuf,
    /// Original contents read from disk (`None`: the file does not exist).
    disk: RefCell<BTreeMap<PathBuf, Option<String>>>,
    /// Current contents where they differ from disk (`None`: deleted).
    overlay: BTreeMap<PathBuf, Option<String>>,
    /// For a [`Workspace::snapshot`]: the files whose "disk" state is the
    /// previous run's result rather than the real disk.
    snapshot_base: BTreeMap<PathBuf, Option<String>>,
    /// Files read from disk with carriage returns (normalised to LF for
    /// analysis; never edited), with where the first one is.
    carriage_returns: RefCell<BTreeMap<PathBuf, Location>>,
    /// Line indexes of current contents, built once per file and content.
    line_indexes: RefCell<BTreeMap<PathBuf, Option<crate::syntax::LineIndex>>>,
}

impl Workspace {
    /// A workspace over the directory `root` (the repository root).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Workspace {
            root: root.into(),
            disk: RefCell::new(BTreeMap::new()),
            overlay: BTreeMap::new(),
            snapshot_base: BTreeMap::new(),
            carriage_returns: RefCell::new(BTreeMap::new()),
            line_indexes: RefCell::new(BTreeMap::new()),
        }
    }

    /// The repository root on disk.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn disk_read(&self, rel: &Path) -> Result<Option<String>, Error> {
        if let Some(c) = self.disk.borrow().get(rel) {
            return Ok(c.clone());
        }
        let content = match read_source(&self.root, rel)? {
            Some(source) => {
                if let Some(at) = source.carriage_return {
                    self.carriage_returns
                        .borrow_mut()
                        .insert(rel.to_path_buf(), at);
                }
                Some(source.text)
            }
            None => None,
        };
        self.disk
            .borrow_mut()
            .insert(rel.to_path_buf(), content.clone());
        Ok(content)
    }

    /// The current content of `rel`, or `None` when it does not exist.
    pub fn read(&self, rel: &Path) -> Result<Option<String>, Error> {
        if let Some(c) = self.overlay.get(rel) {
            return Ok(c.clone());
        }
        self.disk_read(rel)
    }

    /// The line index of the current content of `rel` (`None` when it does
    /// not exist or cannot be read), built once and cached until `rel` is
    /// written: analyses that place many nodes of one file ask for it once
    /// per node, and building it is linear in the file's size.
    pub fn line_index(&self, rel: &Path) -> Option<crate::syntax::LineIndex> {
        if let Some(index) = self.line_indexes.borrow().get(rel) {
            return index.clone();
        }
        let index = self
            .read(rel)
            .ok()
            .flatten()
            .map(|text| crate::syntax::LineIndex::new(&text));
        self.line_indexes
            .borrow_mut()
            .insert(rel.to_path_buf(), index.clone());
        index
    }

    /// Whether `rel` exists (a file of any content, or a directory), taking the
    /// overlay into account. Reads no file content.
    pub fn exists(&self, rel: &Path) -> bool {
        match self.overlay.get(rel) {
            Some(c) => c.is_some(),
            None => self.root.join(rel).exists() || self.is_dir(rel),
        }
    }

    /// Whether `rel` exists as a directory on disk or has files under it in the overlay.
    pub fn is_dir(&self, rel: &Path) -> bool {
        is_dir(&self.root, &self.overlay, rel)
    }

    /// Refuse to edit a file read with carriage returns.
    fn check_editable(&self, rel: &Path) -> Result<(), Error> {
        match self.carriage_returns.borrow().get(rel) {
            Some(at) => Err(crate::syntax::carriage_return_error(at)),
            None => Ok(()),
        }
    }

    /// Replace the content of `rel` (creating it when it does not exist).
    /// A file with CRLF line endings on disk is refused (read, it is
    /// normalised to LF; written, it would lose its line endings).
    pub fn write(&mut self, rel: &Path, content: String) -> Result<(), Error> {
        // Make sure the original is cached so that `changes` can report it.
        self.disk_read(rel)?;
        self.check_editable(rel)?;
        self.line_indexes.borrow_mut().remove(rel);
        self.overlay.insert(rel.to_path_buf(), Some(content));
        Ok(())
    }

    /// Delete `rel`.
    pub fn delete(&mut self, rel: &Path) -> Result<(), Error> {
        self.disk_read(rel)?;
        self.check_editable(rel)?;
        self.line_indexes.borrow_mut().remove(rel);
        self.overlay.insert(rel.to_path_buf(), None);
        Ok(())
    }

    /// Every file whose current content differs from disk, sorted by path.
    pub fn changes(&self) -> Vec<FileChange> {
        let disk = self.disk.borrow();
        self.overlay
            .iter()
            .filter_map(|(path, new)| {
                let old = disk.get(path).cloned().flatten();
                if &old == new {
                    None
                } else {
                    Some(FileChange {
                        path: path.clone(),
                        old,
                        new: new.clone(),
                    })
                }
            })
            .collect()
    }

    /// A workspace over the same root whose disk state is this one's current state.
    /// Used to run codemods a second time for the idempotence check.
    pub fn snapshot(&self) -> Workspace {
        let mut disk = self.disk.borrow().clone();
        let mut base = self.snapshot_base.clone();
        for (p, c) in &self.overlay {
            disk.insert(p.clone(), c.clone());
            base.insert(p.clone(), c.clone());
        }
        Workspace {
            root: self.root.clone(),
            disk: RefCell::new(disk),
            overlay: BTreeMap::new(),
            snapshot_base: base,
            carriage_returns: self.carriage_returns.clone(),
            line_indexes: RefCell::new(BTreeMap::new()),
        }
    }
}

/// A read-only view of a [`Workspace`] that worker threads can share: the
/// run's pending contents plus the disk, read with the same rules as
/// [`Workspace::read`] (missing files and directories read as `None`; files
/// that are not UTF-8 or start with a BOM are errors; CRLF line endings are
/// read as LF, as Nix does). Reads are not cached.
#[derive(Debug, Clone)]
pub struct SharedReader {
    root: PathBuf,
    overlay: BTreeMap<PathBuf, Option<String>>,
}

impl Workspace {
    /// A [`SharedReader`] over the current state (`Send + Sync`, unlike the
    /// workspace itself, whose disk cache is not thread-safe).
    pub fn shared_reader(&self) -> SharedReader {
        // A snapshot's "disk" holds the previous run's results: those count
        // as pending contents too, or a reader would see the real disk.
        let mut overlay = self.snapshot_base.clone();
        overlay.extend(self.overlay.iter().map(|(p, c)| (p.clone(), c.clone())));
        SharedReader {
            root: self.root.clone(),
            overlay,
        }
    }
}

impl SharedReader {
    /// Whether `rel` is a directory on disk or has pending files under it
    /// (as [`Workspace::is_dir`]).
    pub fn is_dir(&self, rel: &Path) -> bool {
        is_dir(&self.root, &self.overlay, rel)
    }

    /// The current content of `rel`, or `None` when it does not exist.
    pub fn read(&self, rel: &Path) -> Result<Option<String>, Error> {
        if let Some(c) = self.overlay.get(rel) {
            return Ok(c.clone());
        }
        Ok(read_source(&self.root, rel)?.map(|source| source.text))
    }
}

/// Read `rel` under `root` as Nix source (see [`crate::syntax::decode_source`]):
/// `None` when it does not exist (or is a directory); an error when it is
/// not UTF-8 or starts with a BOM.
fn read_source(root: &Path, rel: &Path) -> Result<Option<crate::syntax::Source>, Error> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => crate::syntax::decode_source(rel, bytes).map(Some),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(Error::Io {
            path: rel.to_path_buf(),
            source: e,
        }),
    }
}

/// Whether `rel` is a directory on disk or has pending files under it.
fn is_dir(root: &Path, overlay: &BTreeMap<PathBuf, Option<String>>, rel: &Path) -> bool {
    root.join(rel).is_dir()
        || overlay
            .iter()
            .any(|(p, c)| c.is_some() && p.starts_with(rel) && p != rel)
}
