//! The input of a check: the paths of a release with their sizes, and the
//! bytes of the files the rules asked for. Zip, directory and GitHub readers
//! (crate `m13-source`, or the web app) all produce one; the rules never know
//! which.

use std::collections::BTreeMap;

use serde::Serialize;

/// Caps on what the rules are willing to read, so a hostile release cannot
/// exhaust memory. Readers enforce them; the rules report what went over.
pub mod limits {
    /// Largest single file the rules will read (settings.py, a manifest...).
    pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
    /// Largest sum of bytes read for one check.
    pub const MAX_TOTAL_BYTES: u64 = 16 * 1024 * 1024;
    /// Most entries a release listing may have.
    pub const MAX_ENTRIES: usize = 200_000;
    /// Most files the rules ask to read.
    pub const MAX_WANTED_FILES: usize = 200;
}

/// A path in the release (relative, `/`-separated, no top folder) and its size.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
}

/// The bytes of a file, or why they could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Listed, but not read: too large, encrypted, a network error... The
    /// string says why, for the user.
    Unreadable(String),
}

/// A release as the rules see it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    entries: Vec<Entry>,
    contents: BTreeMap<String, Content>,
}

impl Snapshot {
    /// A snapshot of `entries` with no contents yet. Entries are sorted so
    /// the report does not depend on the order a reader listed them.
    pub fn new(mut entries: Vec<Entry>) -> Snapshot {
        crate::order::sort(&mut entries);
        entries.dedup_by(|a, b| a.path == b.path);
        Snapshot { entries, contents: BTreeMap::new() }
    }

    /// Builds a snapshot from in-memory files (tests, the built-in sample).
    pub fn from_files<P: Into<String>, B: Into<Vec<u8>>>(files: impl IntoIterator<Item = (P, B)>) -> Snapshot {
        let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, b)| (p.into(), b.into())).collect();
        let entries = files.iter().map(|(p, b)| Entry { path: p.clone(), size: b.len() as u64 }).collect();
        let mut snapshot = Snapshot::new(entries);
        for (path, bytes) in files {
            snapshot.insert(path, Content::Bytes(bytes));
        }
        snapshot
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn insert(&mut self, path: impl Into<String>, content: Content) {
        self.contents.insert(path.into(), content);
    }

    pub fn exists(&self, path: &str) -> bool {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).is_ok()
    }

    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).ok().and_then(|i| self.entries.get(i))
    }

    /// The content of `path` if a reader supplied it.
    pub fn content(&self, path: &str) -> Option<&Content> {
        self.contents.get(path)
    }

    /// The paths a reader was asked for (read, or unreadable with a reason).
    pub fn read_paths(&self) -> impl Iterator<Item = &str> {
        self.contents.keys().map(String::as_str)
    }
}
