//! Helpers shared by the integration tests: zips built in memory, temporary
//! directories that clean up after themselves.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A deflated zip of `files`; a name ending in `/` is a directory entry.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    m13_testkit::zip_of(files, "")
}

/// A zipball as GitHub serves it: every path under `ana-cis-92-1a2b3c4/`,
/// with directory entries.
pub fn github_zipball() -> Vec<u8> {
    zip_of(&[
        ("ana-cis-92-1a2b3c4/", b""),
        ("ana-cis-92-1a2b3c4/README.md", b"# CIS-92\n"),
        ("ana-cis-92-1a2b3c4/deployment/", b""),
        ("ana-cis-92-1a2b3c4/deployment/deployment.yaml", b"apiVersion: apps/v1\nkind: Deployment\n"),
        ("ana-cis-92-1a2b3c4/mysite/mysite/settings.py", b"DEBUG = False\n"),
    ])
}

/// The offsets of every 4-byte `signature` in `bytes`.
pub fn find_all(bytes: &[u8], signature: &[u8; 4]) -> Vec<usize> {
    bytes.windows(4).enumerate().filter(|(_, w)| w == signature).map(|(i, _)| i).collect()
}

/// Rewrites a little-endian u32 field of every local header (`PK\3\4`) and
/// central directory record (`PK\1\2`).
pub fn patch_u32(bytes: &mut [u8], local_offset: usize, central_offset: usize, value: u32) {
    for (signature, offset) in [(b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)] {
        for at in find_all(bytes, signature) {
            bytes[at + offset..at + offset + 4].copy_from_slice(&value.to_le_bytes());
        }
    }
}

/// Sets general-purpose flag bits on every header (bit 0: encrypted).
pub fn set_flags(bytes: &mut [u8], flags: u16) {
    for (signature, offset) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
        for at in find_all(bytes, signature) {
            bytes[at + offset..at + offset + 2].copy_from_slice(&flags.to_le_bytes());
        }
    }
}

/// A fresh directory under the system's temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("m13-source-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` at `relative`, creating folders.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, bytes).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
