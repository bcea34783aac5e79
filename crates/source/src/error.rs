//! What can go wrong reading a release. Every variant names the archive,
//! directory or path it is about, so one bad zip in a class batch can be
//! reported and the batch can carry on.

use crate::bytes::human;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The bytes are not a zip archive at all (an HTML page, a tar.gz...).
    #[error("`{name}` is not a zip file: {detail}")]
    NotZip { name: String, detail: String },
    /// A zip, but cut short or corrupt.
    #[error("`{name}` is damaged: {detail}")]
    Damaged { name: String, detail: String },
    /// A well-formed zip that holds no files.
    #[error("`{name}` is an empty zip: it holds no files")]
    Empty { name: String },
    #[error(
        "`{name}` has more than {limit} entries, far more than a release of this milestone; is it the right archive?"
    )]
    TooManyEntries { name: String, limit: usize },
    #[error("`{path}` is not a directory")]
    NotADirectory { path: String },
    #[error("could not read `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// One file over the per-file cap. `size` is `None` when the entry
    /// declared a smaller size and was cut off while inflating.
    #[error("`{path}` is {}", too_large(*size, *limit))]
    TooLarge { path: String, size: Option<u64>, limit: u64 },
    /// Reading this file would pass the cap on all bytes read for one check.
    #[error("`{path}` was not read: {}", over_total(*limit))]
    OverTotal { path: String, limit: u64 },
    /// The entry's compressed data is corrupt (a bad checksum, a broken
    /// deflate stream).
    #[error("`{path}` could not be inflated: {detail}")]
    EntryDamaged { path: String, detail: String },
    /// Compressed with a method this reader does not have (only deflate and
    /// stored entries are read, which is what GitHub and common tools write).
    #[error("`{path}` cannot be read: {detail}")]
    Unsupported { path: String, detail: String },
    #[error("`{path}` is encrypted")]
    Encrypted { path: String },
    /// Asked for a path the listing does not have (and so will not read:
    /// a listed path is the only way to reach a file).
    #[error("`{path}` is not in the release")]
    NotListed { path: String },
}

impl SourceError {
    /// The message without the path, for [`m13_rules::Content::Unreadable`]:
    /// the rules already say "`PATH` could not be read (REASON)".
    pub fn reason(&self) -> String {
        match self {
            SourceError::TooLarge { size, limit, .. } => too_large(*size, *limit),
            SourceError::OverTotal { limit, .. } => over_total(*limit),
            SourceError::Encrypted { .. } => "encrypted".to_owned(),
            SourceError::NotListed { .. } => "not in the release".to_owned(),
            SourceError::Io { source, .. } => source.to_string(),
            SourceError::EntryDamaged { detail, .. } => format!("could not be inflated: {detail}"),
            SourceError::Unsupported { detail, .. } => detail.clone(),
            other => other.to_string(),
        }
    }
}

fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!("larger than the {} limit for one file ({})", human(limit), human(size)),
        None => format!("larger than the {} limit for one file", human(limit)),
    }
}

fn over_total(limit: u64) -> String {
    format!("the files read for one check would pass the {} limit in all", human(limit))
}
