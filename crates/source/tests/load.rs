//! `load` with a source written here: it reads only what the rules want,
//! and holds the caps even when the source does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use m13_rules::snapshot::limits;
use m13_rules::{Content, Entry, SourceKind};
use m13_source::{Source, SourceError, load};

const MIB: usize = 1024 * 1024;

/// A source that serves `size` bytes for every listed path, and remembers
/// what was read. `size` may exceed what the entries claim.
struct Fake {
    entries: Vec<Entry>,
    size: usize,
    reads: Vec<String>,
}

impl Fake {
    fn new(paths: &[&str], declared: u64, size: usize) -> Fake {
        let entries = paths.iter().map(|p| Entry { path: (*p).to_owned(), size: declared }).collect();
        Fake { entries, size, reads: Vec::new() }
    }
}

impl Source for Fake {
    fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.reads.push(path.to_owned());
        if path.ends_with("locked.yaml") {
            return Err(SourceError::Encrypted { path: path.to_owned() });
        }
        Ok(vec![b'a'; self.size])
    }

    fn kind(&self) -> SourceKind {
        SourceKind::Sample
    }
}

#[test]
fn only_the_files_the_rules_want_are_read() {
    let mut source = Fake::new(
        &["README.md", "static/logo.png", "mysite/mysite/settings.py", "deployment/app.yaml", "deployment/locked.yaml"],
        10,
        10,
    );
    let snapshot = load(&mut source);
    let mut reads = source.reads.clone();
    reads.sort();
    assert_eq!(reads, ["deployment/app.yaml", "deployment/locked.yaml", "mysite/mysite/settings.py"]);
    assert_eq!(snapshot.entries().len(), 5);
    assert_eq!(snapshot.content("deployment/locked.yaml"), Some(&Content::Unreadable("encrypted".into())));
    assert!(matches!(snapshot.content("deployment/app.yaml"), Some(Content::Bytes(b)) if b.len() == 10));
}

#[test]
fn the_total_cap_stops_reading() {
    let names: Vec<String> = (0..20).map(|i| format!("deployment/m{i:02}.yaml")).collect();
    let paths: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut source = Fake::new(&paths, limits::MAX_FILE_BYTES, MIB);
    let snapshot = load(&mut source);
    let read = names.iter().filter(|n| matches!(snapshot.content(n), Some(Content::Bytes(_)))).count();
    assert_eq!(read as u64, limits::MAX_TOTAL_BYTES / limits::MAX_FILE_BYTES);
    assert_eq!(
        snapshot.content("deployment/m19.yaml"),
        Some(&Content::Unreadable("the files read for one check would pass the 16 MiB limit in all".into()))
    );
    // Files refused for the total were not even asked for.
    assert_eq!(source.reads.len(), read);
}

#[test]
fn a_source_that_ignores_the_file_cap_is_held_to_it() {
    // Claims 10 bytes, serves 2 MiB.
    let mut source = Fake::new(&["mysite/mysite/settings.py"], 10, 2 * MIB);
    let snapshot = load(&mut source);
    assert_eq!(
        snapshot.content("mysite/mysite/settings.py"),
        Some(&Content::Unreadable("larger than the 1 MiB limit for one file (2 MiB)".into()))
    );
}

#[test]
fn a_total_passed_by_undeclared_bytes_is_caught_after_the_read() {
    // Every file claims 1 byte but serves 1 MiB: the declared sizes never
    // trip the cap, the bytes read do.
    let names: Vec<String> = (0..20).map(|i| format!("deployment/m{i:02}.yaml")).collect();
    let paths: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut source = Fake::new(&paths, 1, MIB);
    let snapshot = load(&mut source);
    let read = names.iter().filter(|n| matches!(snapshot.content(n), Some(Content::Bytes(_)))).count();
    assert_eq!(read, 16);
}
