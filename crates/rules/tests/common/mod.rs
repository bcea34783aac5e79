//! Reading the fixture trees, shared by the fixture and graph tests.

use std::fs;
use std::path::{Path, PathBuf};

use m13_rules::Snapshot;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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

/// A fixture's `release/` tree as a snapshot with every file read.
pub fn read_tree(root: &Path) -> Snapshot {
    Snapshot::from_files(read_files(root))
}

/// Every file under `root`, as (`/`-separated relative path, bytes).
pub fn read_files(root: &Path) -> Vec<(String, Vec<u8>)> {
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
    files
}
