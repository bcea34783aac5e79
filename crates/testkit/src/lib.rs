//! What the tests and benchmarks share, written once: the fixture releases
//! under `crates/rules/tests/fixtures/<case>/release/` (one per trap a
//! student release falls into), read as (path, bytes) pairs or as a
//! [`Snapshot`], edited one file at a time, and zipped as GitHub zips a
//! release ("Source code (zip)": every path under one top folder); and
//! each fixture's `expected.txt`, read by [`parse_expected`].
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

use m13_rules::{RuleId, Snapshot, Status};
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

/// What a fixture's `expected.txt` says. Its first lines are `#` comments
/// naming the trap; then `about ID...` (the rules the trap is about, which
/// its snapshot shows even when they pass), `url URL` (the URL the student
/// posted, if any) and one `ID STATUS` line per rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expected {
    pub about: Vec<RuleId>,
    pub url: Option<String>,
    /// Every rule listed, in the file's order, with its status.
    pub statuses: Vec<(RuleId, Status)>,
}

/// Reads the text of an `expected.txt`; an unknown rule id or status, or a
/// line without a value, is an error naming the line.
pub fn parse_expected(text: &str) -> Result<Expected, String> {
    let mut expected = Expected::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (key, value) = line.split_once(char::is_whitespace).ok_or_else(|| format!("bad line `{line}`"))?;
        let value = value.trim();
        let rule = |id: &str| RuleId::from_id(id).ok_or_else(|| format!("unknown rule `{id}` in `{line}`"));
        match key {
            "url" => expected.url = Some(value.to_owned()),
            "about" => expected.about = value.split_whitespace().map(rule).collect::<Result<_, _>>()?,
            id => {
                let status = Status::from_name(value).ok_or_else(|| format!("unknown status `{value}` in `{line}`"))?;
                expected.statuses.push((rule(id)?, status));
            }
        }
    }
    Ok(expected)
}

/// Fixture `name`'s `expected.txt`, read and parsed.
pub fn expected(name: &str) -> Expected {
    let path = fixtures_dir().join(name).join("expected.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_expected(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_expected_file() {
        let text = "# A trap.\nabout release-tag uses-postgres\nurl https://github.com/a/b/tree/main\n\nrelease-tag fail\nuses-postgres pass\n";
        assert_eq!(
            parse_expected(text),
            Ok(Expected {
                about: vec![RuleId::ReleaseTag, RuleId::UsesPostgres],
                url: Some("https://github.com/a/b/tree/main".to_owned()),
                statuses: vec![(RuleId::ReleaseTag, Status::Fail), (RuleId::UsesPostgres, Status::Pass)],
            })
        );
        assert!(parse_expected("release-tag passes").is_err());
        assert!(parse_expected("no-such-rule pass").is_err());
        assert!(parse_expected("about no-such-rule").is_err());
        assert!(parse_expected("release-tag").is_err());
    }

    #[test]
    fn every_fixture_has_a_readable_expected_file() {
        for name in fixture_names() {
            let expected = expected(&name);
            assert_eq!(expected.statuses.len(), RuleId::ALL.len(), "{name}");
        }
    }
}
