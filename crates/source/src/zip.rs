//! A "Source code (zip)" file: dropped on the web page, given to the CLI, or
//! downloaded from GitHub's zipball endpoint. Listing reads only the
//! archive's table of contents; an entry is inflated when it is read, and
//! never past the cap.

use std::collections::HashMap;
use std::fmt;
use std::io::{Cursor, Read, Seek};

use ::zip::ZipArchive;
use ::zip::result::ZipError;
use m13_rules::snapshot::limits;
use m13_rules::{Entry, SourceKind};

use crate::capped::{Capped, read_capped};
use crate::error::SourceError;
use crate::load::Source;

/// The caps a [`ZipSource`] enforces. Tests lower them; everyone else uses
/// the [`Default`], the rules' [`limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    pub max_entries: usize,
    pub max_file_bytes: u64,
}

impl Default for ZipLimits {
    fn default() -> ZipLimits {
        ZipLimits { max_entries: limits::MAX_ENTRIES, max_file_bytes: limits::MAX_FILE_BYTES }
    }
}

/// What the archive is read from: bytes in memory, or (native) a file.
trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

pub struct ZipSource {
    name: String,
    archive: ZipArchive<Box<dyn ReadSeek>>,
    entries: Vec<Entry>,
    /// Listed path to the archive's index for it.
    index: HashMap<String, usize>,
    skipped: Vec<String>,
    limits: ZipLimits,
}

impl fmt::Debug for ZipSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipSource")
            .field("name", &self.name)
            .field("entries", &self.entries.len())
            .field("skipped", &self.skipped)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl ZipSource {
    /// Reads a zip held in memory. `name` is used in messages and as the
    /// snapshot's source (the dropped file's name, or the download's).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<ZipSource, SourceError> {
        ZipSource::from_bytes_with_limits(name, bytes, ZipLimits::default())
    }

    pub fn from_bytes_with_limits(name: &str, bytes: Vec<u8>, limits: ZipLimits) -> Result<ZipSource, SourceError> {
        let head: Vec<u8> = bytes.iter().take(SNIFF_BYTES).copied().collect();
        let length = bytes.len() as u64;
        ZipSource::new(name, Box::new(Cursor::new(bytes)), &head, length, limits)
    }

    /// Reads a zip file on disk without loading it whole into memory.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open(path: &std::path::Path) -> Result<ZipSource, SourceError> {
        let name = path.display().to_string();
        let io_error = |source| SourceError::Io { path: name.clone(), source };
        let mut file = std::fs::File::open(path).map_err(io_error)?;
        let length = file.metadata().map_err(io_error)?.len();
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut file).take(SNIFF_BYTES as u64).read_to_end(&mut head).map_err(io_error)?;
        file.rewind().map_err(io_error)?;
        ZipSource::new(&name, Box::new(file), &head, length, ZipLimits::default())
    }

    fn new(
        name: &str,
        reader: Box<dyn ReadSeek>,
        head: &[u8],
        length: u64,
        limits: ZipLimits,
    ) -> Result<ZipSource, SourceError> {
        let archive = ZipArchive::new(reader).map_err(|error| not_a_zip(name, head, length, &error))?;
        if archive.len() > limits.max_entries {
            return Err(SourceError::TooManyEntries { name: name.to_owned(), limit: limits.max_entries });
        }
        let listing = list(name, &archive)?;
        if listing.entries.is_empty() {
            return Err(SourceError::Empty { name: name.to_owned() });
        }
        Ok(ZipSource {
            name: name.to_owned(),
            archive,
            entries: listing.entries,
            index: listing.index,
            skipped: listing.skipped,
            limits,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Entries left out of the listing, each as "`NAME`: why". Shown to the
    /// user so a missing file is not a mystery.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }
}

impl Source for ZipSource {
    fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, SourceError> {
        let Some(&index) = self.index.get(path) else {
            return Err(SourceError::NotListed { path: path.to_owned() });
        };
        let cap = self.limits.max_file_bytes;
        let file = match self.archive.by_index(index) {
            Ok(file) => file,
            Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => {
                return Err(SourceError::Encrypted { path: path.to_owned() });
            }
            Err(ZipError::UnsupportedArchive(what)) => {
                return Err(SourceError::Unsupported { path: path.to_owned(), detail: what.to_owned() });
            }
            Err(ZipError::CompressionMethodNotSupported(method)) => {
                return Err(SourceError::Unsupported {
                    path: path.to_owned(),
                    detail: format!("compression method {method}; re-zip it with ordinary (deflate) compression"),
                });
            }
            Err(error) => return Err(SourceError::EntryDamaged { path: path.to_owned(), detail: error.to_string() }),
        };
        let declared = file.size();
        if declared > cap {
            return Err(SourceError::TooLarge { path: path.to_owned(), size: Some(declared), limit: cap });
        }
        match read_capped(file, cap, declared) {
            Ok(Capped::Fits(bytes)) => Ok(bytes),
            Ok(Capped::Over) => Err(SourceError::TooLarge { path: path.to_owned(), size: None, limit: cap }),
            Err(error) => Err(SourceError::EntryDamaged { path: path.to_owned(), detail: error.to_string() }),
        }
    }

    fn kind(&self) -> SourceKind {
        SourceKind::Zip { name: self.name.clone() }
    }
}

/// How many leading bytes are kept to tell what a non-zip file is.
const SNIFF_BYTES: usize = 512;

/// Why the archive would not open, in the user's terms: a file that was
/// never a zip gets a different message from a zip cut short.
fn not_a_zip(name: &str, head: &[u8], length: u64, error: &ZipError) -> SourceError {
    let not_zip = |detail: &str| SourceError::NotZip { name: name.to_owned(), detail: detail.to_owned() };
    let text = String::from_utf8_lossy(head).trim_start().to_ascii_lowercase();
    if length == 0 {
        not_zip("it is empty (0 bytes)")
    } else if head.starts_with(b"PK") {
        let detail = if error.to_string().contains("EOCD") {
            "its table of contents, at the end, is missing: it was probably cut short while downloading; download it again"
                .to_owned()
        } else {
            format!("{error}; download it again")
        };
        SourceError::Damaged { name: name.to_owned(), detail }
    } else if head.starts_with(&[0x1f, 0x8b]) {
        not_zip("it is gzip-compressed, probably the \"Source code (tar.gz)\" download: use \"Source code (zip)\"")
    } else if text.starts_with("<!doctype html") || text.starts_with("<html") {
        not_zip("it is a web page (HTML), not the download itself")
    } else {
        not_zip("it does not start like a zip archive")
    }
}

struct Listing {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    skipped: Vec<String>,
}

/// One entry of the table of contents whose name is safe to use.
struct Named {
    path: String,
    index: usize,
    size: u64,
    is_dir: bool,
    is_symlink: bool,
}

fn list(name: &str, archive: &ZipArchive<Box<dyn ReadSeek>>) -> Result<Listing, SourceError> {
    let mut named = Vec::new();
    let mut skipped = Vec::new();
    for index in 0..archive.len() {
        let damaged = |error: ZipError| SourceError::Damaged { name: name.to_owned(), detail: error.to_string() };
        let entry = archive.by_index_data(index).map_err(damaged)?;
        let raw = entry.name().map_err(damaged)?;
        match clean_name(&raw) {
            Ok(path) => named.push(Named {
                path,
                index,
                size: entry.size(),
                is_dir: entry.is_dir(),
                is_symlink: entry.is_symlink(),
            }),
            Err(why) => skipped.push(format!("`{}`: {why}", raw.escape_debug())),
        }
    }
    let top = common_top_folder(&named);
    let mut entries = Vec::new();
    let mut index = HashMap::new();
    for item in named {
        let path = match &top {
            Some(top) => item.path.strip_prefix(top.as_str()).unwrap_or(&item.path).trim_start_matches('/').to_owned(),
            None => item.path,
        };
        if item.is_dir || path.is_empty() {
            continue;
        }
        if item.is_symlink {
            skipped.push(format!("`{path}`: a symbolic link, not followed"));
        } else if index.contains_key(&path) {
            skipped.push(format!("`{path}`: listed twice; the first copy is used"));
        } else {
            index.insert(path.clone(), item.index);
            entries.push(Entry { path, size: item.size });
        }
    }
    Ok(Listing { entries, index, skipped })
}

/// The entry name as a relative `/`-separated path, or why it is refused:
/// names that climb out, are absolute or use `\` could write outside a
/// folder if anyone unpacked them, and never come from GitHub.
fn clean_name(raw: &str) -> Result<String, &'static str> {
    if raw.contains('\\') {
        return Err("the name uses `\\`, which is not a path separator in a zip");
    }
    if raw.contains('\0') {
        return Err("the name contains a NUL character");
    }
    if raw.starts_with('/') {
        return Err("an absolute path");
    }
    let parts: Vec<&str> = raw.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.contains(&"..") {
        return Err("the name climbs out of the archive with `..`");
    }
    if parts.first().is_some_and(|p| p.len() == 2 && p.ends_with(':')) {
        return Err("an absolute path (a drive letter)");
    }
    Ok(parts.join("/"))
}

/// The one folder every entry is under (GitHub's `OWNER-REPO-SHORTSHA/`),
/// if there is one.
fn common_top_folder(named: &[Named]) -> Option<String> {
    let first = named.first()?;
    let top = first.path.split('/').next()?;
    let under_top = |item: &Named| match item.path.strip_prefix(top) {
        Some("") => item.is_dir,
        Some(rest) => rest.starts_with('/'),
        None => false,
    };
    named.iter().all(under_top).then(|| top.to_owned())
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn names_that_escape_are_refused() {
        assert_eq!(clean_name("a/./b//c.txt"), Ok("a/b/c.txt".to_owned()));
        assert!(clean_name("../evil").is_err());
        assert!(clean_name("a/../../evil").is_err());
        assert!(clean_name("/etc/passwd").is_err());
        assert!(clean_name("C:/Windows/x").is_err());
        assert!(clean_name("a\\b.txt").is_err());
    }
}
