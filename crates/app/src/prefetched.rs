//! A release whose files are already in memory (fetched from GitHub or the
//! mirror, remembered in the browser, or built into the app), served
//! through `m13_source`'s [`Source`] trait so [`m13_source::load`] applies
//! the same caps and reads the same files as for a zip or a directory.

use std::collections::BTreeMap;

use m13_rules::{Entry, Snapshot, SourceKind};
use m13_source::{Source, SourceError, load};

/// A listing plus the bytes (or the reason there are none) of some paths.
#[derive(Debug, Clone)]
pub struct Prefetched {
    entries: Vec<Entry>,
    files: BTreeMap<String, Result<Vec<u8>, String>>,
    kind: SourceKind,
}

impl Prefetched {
    pub fn new(entries: Vec<Entry>, files: BTreeMap<String, Result<Vec<u8>, String>>, kind: SourceKind) -> Prefetched {
        Prefetched { entries, files, kind }
    }

    /// The snapshot the rules check: only what [`m13_rules::wanted_files`]
    /// names, within the caps.
    pub fn snapshot(mut self) -> Snapshot {
        load(&mut self)
    }
}

impl Source for Prefetched {
    fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, SourceError> {
        let failed =
            |reason: &str| SourceError::Io { path: path.to_owned(), source: std::io::Error::other(reason.to_owned()) };
        match self.files.get(path) {
            Some(Ok(bytes)) => Ok(bytes.clone()),
            Some(Err(reason)) => Err(failed(reason)),
            None if self.entries.iter().any(|e| e.path == path) => Err(failed("not downloaded")),
            None => Err(SourceError::NotListed { path: path.to_owned() }),
        }
    }

    fn kind(&self) -> SourceKind {
        self.kind.clone()
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::Content;

    use super::*;

    fn entry(path: &str, size: u64) -> Entry {
        Entry { path: path.to_owned(), size }
    }

    #[test]
    fn reads_wanted_files_and_keeps_failures_as_unreadable() {
        let entries =
            vec![entry("deployment/deployment.yaml", 5), entry("deployment/service.yaml", 9), entry("README.md", 3)];
        let mut files = BTreeMap::new();
        files.insert("deployment/deployment.yaml".to_owned(), Ok(b"kind:".to_vec()));
        files.insert("deployment/service.yaml".to_owned(), Err("HTTP 404".to_owned()));
        let snapshot = Prefetched::new(entries, files, SourceKind::GitHub).snapshot();
        assert_eq!(snapshot.entries().len(), 3);
        assert_eq!(snapshot.content("deployment/deployment.yaml"), Some(&Content::Bytes(b"kind:".to_vec())));
        assert_eq!(snapshot.content("deployment/service.yaml"), Some(&Content::Unreadable("HTTP 404".to_owned())));
        assert_eq!(snapshot.content("README.md"), None, "not wanted, not read");
    }

    #[test]
    fn a_wanted_file_that_was_not_downloaded_says_so() {
        let snapshot =
            Prefetched::new(vec![entry("deployment/config.yaml", 10)], BTreeMap::new(), SourceKind::Jsdelivr)
                .snapshot();
        assert_eq!(snapshot.content("deployment/config.yaml"), Some(&Content::Unreadable("not downloaded".to_owned())));
    }
}
