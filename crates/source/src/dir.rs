//! A directory on disk: a clone, or a zip the user unpacked. Walked with
//! std; `.git/` is skipped and symbolic links are never followed, so the
//! listing is the release's own files and a read cannot leave the folder.

use std::fs;
use std::path::{Path, PathBuf};

use m13_rules::snapshot::limits;
use m13_rules::{Entry, SourceKind};

use crate::capped::{Capped, read_capped};
use crate::error::SourceError;
use crate::load::Source;

#[derive(Debug)]
pub struct DirSource {
    root: PathBuf,
    entries: Vec<Entry>,
    skipped: Vec<String>,
    max_file_bytes: u64,
}

impl DirSource {
    pub fn open(path: &Path) -> Result<DirSource, SourceError> {
        DirSource::open_with_limits(path, limits::MAX_ENTRIES, limits::MAX_FILE_BYTES)
    }

    /// [`DirSource::open`] with other caps (tests).
    pub fn open_with_limits(path: &Path, max_entries: usize, max_file_bytes: u64) -> Result<DirSource, SourceError> {
        let shown = path.display().to_string();
        let meta = fs::metadata(path).map_err(|source| SourceError::Io { path: shown.clone(), source })?;
        if !meta.is_dir() {
            return Err(SourceError::NotADirectory { path: shown });
        }
        let mut walk = Walk { entries: Vec::new(), skipped: Vec::new(), max_entries, root: shown };
        walk.visit(path, "")?;
        let Walk { mut entries, skipped, .. } = walk;
        m13_rules::order::sort(&mut entries);
        Ok(DirSource { root: path.to_owned(), entries, skipped, max_file_bytes })
    }

    /// Files and folders left out, each as "`PATH`: why".
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }
}

struct Walk {
    entries: Vec<Entry>,
    skipped: Vec<String>,
    max_entries: usize,
    /// The directory as the user named it, for messages.
    root: String,
}

impl Walk {
    /// Lists `dir` (the folder `prefix` of the release) and what is below it.
    fn visit(&mut self, dir: &Path, prefix: &str) -> Result<(), SourceError> {
        let io_error = |source| SourceError::Io { path: dir.display().to_string(), source };
        for item in fs::read_dir(dir).map_err(io_error)? {
            let item = item.map_err(io_error)?;
            let file_name = item.file_name();
            let Some(name) = file_name.to_str() else {
                self.skipped.push(format!("`{}/{}`: the name is not UTF-8", prefix, file_name.to_string_lossy()));
                continue;
            };
            let relative = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
            // `DirEntry::file_type` does not follow symbolic links.
            let file_type = item.file_type().map_err(|source| SourceError::Io { path: relative.clone(), source })?;
            if name == ".git" {
                continue;
            }
            if file_type.is_symlink() {
                self.skipped.push(format!("`{relative}`: a symbolic link, not followed"));
            } else if file_type.is_dir() {
                self.visit(&item.path(), &relative)?;
            } else if file_type.is_file() {
                if self.entries.len() >= self.max_entries {
                    return Err(SourceError::TooManyEntries { name: self.root.clone(), limit: self.max_entries });
                }
                let size = item.metadata().map_err(|source| SourceError::Io { path: relative.clone(), source })?.len();
                self.entries.push(Entry { path: relative, size });
            } else {
                self.skipped.push(format!("`{relative}`: not a regular file"));
            }
        }
        Ok(())
    }
}

impl Source for DirSource {
    fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, SourceError> {
        // Only listed paths: `path` cannot name `../` or an absolute file.
        let Ok(found) = self.entries.binary_search_by(|e| e.path.as_str().cmp(path)) else {
            return Err(SourceError::NotListed { path: path.to_owned() });
        };
        let declared = self.entries.get(found).map_or(0, |e| e.size);
        let full = self.root.join(path);
        let io_error = |source| SourceError::Io { path: path.to_owned(), source };
        // It may have been swapped for a link since the walk.
        if fs::symlink_metadata(&full).map_err(io_error)?.file_type().is_symlink() {
            return Err(SourceError::NotListed { path: path.to_owned() });
        }
        let file = fs::File::open(&full).map_err(io_error)?;
        match read_capped(file, self.max_file_bytes, declared).map_err(io_error)? {
            Capped::Fits(bytes) => Ok(bytes),
            Capped::Over => {
                Err(SourceError::TooLarge { path: path.to_owned(), size: Some(declared), limit: self.max_file_bytes })
            }
        }
    }

    fn kind(&self) -> SourceKind {
        SourceKind::Directory { path: self.root.display().to_string() }
    }
}
