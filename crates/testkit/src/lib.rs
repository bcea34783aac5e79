//! What the tests and benchmarks share, written once: the fixture releases
//! under `crates/rules/tests/fixtures/<case>/release/` (one per trap a
//! student release falls into), read as (path, bytes) pairs or as a
//! [`Snapshot`], edited one file at a time, and zipped as GitHub zips a
//! release ("Source code (zip)": every path under one top folder).
//!
//! A dev-dependency only: its helpers stop loudly on a broken fixture, as
//! the tests they serve do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a missing fixture should stop the test that needs it, loudly"
)]

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use m13_rules::Snapshot;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// The top folder of the fixtures' zips, as GitHub names it
/// (`OWNER-REPO-SHORTSHA`).
pub const TOP: &str = "ana-lopez-cis-92-1a2b3c4";

/// The fixture that meets the milestone; most others are variations of it.
pub const PASSING: &str = "sp24-pass";

/// A release as the checker reads it: `/`-separated paths and their bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// `crates/rules/tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/tests/fixtures")
}

/// Every fixture's name, sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// The files of fixture `name`'s `release/` tree.
pub fn fixture(name: &str) -> Files {
    read_files(&fixtures_dir().join(name).join("release"))
}

/// Every file under `root`, as (`/`-separated relative path, bytes), sorted.
pub fn read_files(root: &Path) -> Files {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("inside root").to_string_lossy().replace('\\', "/");
                files.push((relative, fs::read(&path).expect("readable fixture")));
            }
        }
    }
    files.sort();
    files
}

/// A tree's files as a snapshot with every file read.
pub fn read_tree(root: &Path) -> Snapshot {
    Snapshot::from_files(read_files(root))
}

/// `files` with `path` replaced by (or added as) `bytes`.
pub fn with(mut files: Files, path: &str, bytes: impl Into<Vec<u8>>) -> Files {
    files.retain(|(p, _)| p != path);
    files.push((path.to_owned(), bytes.into()));
    files
}

/// The text of `path` in `files` (empty when it is not there).
pub fn text(files: &[(String, Vec<u8>)], path: &str) -> String {
    files.iter().find(|(p, _)| p == path).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
}

/// A deflated zip of `entries` under `top/` (none when `top` is empty).
/// A name ending in `/` is a directory entry; one starting with `/` or `..`
/// is written as it is, for the hostile-input tests.
pub fn zip_of<N: AsRef<str>, B: AsRef<[u8]>>(entries: &[(N, B)], top: &str) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        let name = name.as_ref();
        let full = if top.is_empty() || name.starts_with('/') || name.starts_with("..") {
            name.to_owned()
        } else {
            format!("{top}/{name}")
        };
        if full.ends_with('/') {
            writer.add_directory(full, options).expect("add directory");
        } else {
            writer.start_file(full, options).expect("start file");
            writer.write_all(bytes.as_ref()).expect("write file");
        }
    }
    writer.finish().expect("finish zip").into_inner()
}
