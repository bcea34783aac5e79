//! From a listing to a [`Snapshot`]: read only what the rules ask for, and
//! never more than the caps allow.

use m13_rules::snapshot::limits;
use m13_rules::{Content, Entry, Snapshot, SourceKind, wanted_files};

use crate::error::SourceError;

/// A release that can be listed, then read one path at a time.
pub trait Source {
    /// Every file of the release: relative `/`-separated paths (no top
    /// folder, no directories) with their sizes as listed.
    fn entries(&self) -> &[Entry];
    /// The bytes of one listed path, at most [`limits::MAX_FILE_BYTES`].
    fn read(&mut self, path: &str) -> Result<Vec<u8>, SourceError>;
    fn kind(&self) -> SourceKind;
}

/// Builds the snapshot the rules check: all entries, and the contents of the
/// files [`wanted_files`] names. A file that cannot be read becomes
/// [`Content::Unreadable`] with the reason, so the rules can say which file
/// and why instead of the whole check failing.
pub fn load(source: &mut dyn Source) -> Snapshot {
    let entries = source.entries().to_vec();
    let wanted = wanted_files(&entries);
    let mut snapshot = Snapshot::new(entries);
    let mut total: u64 = 0;
    for path in wanted {
        let declared = snapshot.entry(&path).map_or(0, |e| e.size);
        let content = match read_within(source, &path, declared, total) {
            Ok(bytes) => {
                total += bytes.len() as u64;
                Content::Bytes(bytes)
            }
            Err(error) => Content::Unreadable(error.reason()),
        };
        snapshot.insert(path, content);
    }
    snapshot
}

/// One read, checked against both caps: the source is trusted to cap each
/// file, but a source written elsewhere (the web app's) is checked again.
fn read_within(source: &mut dyn Source, path: &str, declared: u64, total: u64) -> Result<Vec<u8>, SourceError> {
    let over_total = || SourceError::OverTotal { path: path.to_owned(), limit: limits::MAX_TOTAL_BYTES };
    if total.saturating_add(declared) > limits::MAX_TOTAL_BYTES {
        return Err(over_total());
    }
    let bytes = source.read(path)?;
    let size = bytes.len() as u64;
    if size > limits::MAX_FILE_BYTES {
        return Err(SourceError::TooLarge { path: path.to_owned(), size: Some(size), limit: limits::MAX_FILE_BYTES });
    }
    if total.saturating_add(size) > limits::MAX_TOTAL_BYTES {
        return Err(over_total());
    }
    Ok(bytes)
}
