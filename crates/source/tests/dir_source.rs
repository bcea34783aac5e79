//! `DirSource` on a clone-like tree: `.git/` left out, links not followed,
//! reads limited to listed paths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use m13_rules::{Content, SourceKind};
use m13_source::dir::DirSource;
use m13_source::{Source, SourceError, load};

use common::TempDir;

fn clone_like(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    dir.write("README.md", b"# CIS-92\n");
    dir.write("deployment/deployment.yaml", b"kind: Deployment\n");
    dir.write("mysite/mysite/settings.py", b"DEBUG = False\n");
    dir.write(".git/HEAD", b"ref: refs/heads/main\n");
    dir.write(".git/objects/ab/cdef", b"blob");
    std::fs::create_dir_all(dir.path().join("empty/folder")).unwrap();
    dir
}

#[test]
fn lists_files_with_slash_paths_and_without_git() {
    let dir = clone_like("dir-list");
    let mut source = DirSource::open(dir.path()).unwrap();
    let paths: Vec<&str> = source.entries().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["README.md", "deployment/deployment.yaml", "mysite/mysite/settings.py"]);
    assert_eq!(source.entries()[0].size, 9);
    assert_eq!(source.read("mysite/mysite/settings.py").unwrap(), b"DEBUG = False\n");
    assert_eq!(source.kind(), SourceKind::Directory { path: dir.path().display().to_string() });
}

#[test]
fn only_listed_paths_can_be_read() {
    let dir = clone_like("dir-unlisted");
    let mut source = DirSource::open(dir.path()).unwrap();
    for path in ["../outside.txt", "/etc/passwd", ".git/HEAD", "deployment"] {
        assert!(matches!(source.read(path), Err(SourceError::NotListed { .. })), "{path}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let outside = TempDir::new("dir-outside");
    let secret = outside.write("secret.txt", b"do not read");
    let dir = clone_like("dir-links");
    std::os::unix::fs::symlink(&secret, dir.path().join("settings.py")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
    let mut source = DirSource::open(dir.path()).unwrap();
    assert!(source.entries().iter().all(|e| e.path != "settings.py" && !e.path.starts_with("linked-dir")));
    let mut skipped = source.skipped().to_vec();
    skipped.sort();
    assert_eq!(
        skipped,
        ["`linked-dir`: a symbolic link, not followed", "`settings.py`: a symbolic link, not followed"]
    );
    // A listed file swapped for a link after the walk is not read either.
    std::fs::remove_file(dir.path().join("README.md")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("README.md")).unwrap();
    assert!(source.read("README.md").is_err());
}

#[test]
fn too_many_files_is_an_error() {
    let dir = TempDir::new("dir-many");
    for i in 0..6 {
        dir.write(&format!("f{i}.txt"), b"x");
    }
    let error = DirSource::open_with_limits(dir.path(), 5, 1024).unwrap_err();
    assert!(matches!(error, SourceError::TooManyEntries { limit: 5, .. }), "{error:?}");
    assert!(DirSource::open_with_limits(dir.path(), 6, 1024).is_ok());
}

#[test]
fn a_file_over_the_cap_is_not_read() {
    let dir = TempDir::new("dir-big");
    dir.write("deployment/big.yaml", &vec![b'a'; 3000]);
    let mut source = DirSource::open_with_limits(dir.path(), 100, 2048).unwrap();
    let error = source.read("deployment/big.yaml").unwrap_err();
    assert_eq!(error.to_string(), "`deployment/big.yaml` is larger than the 2 KiB limit for one file (2.9 KiB)");
}

#[test]
fn a_missing_path_or_a_file_is_not_a_directory() {
    let dir = TempDir::new("dir-not");
    let file = dir.write("x.zip", b"PK");
    let error = DirSource::open(&file).unwrap_err();
    assert_eq!(error.to_string(), format!("`{}` is not a directory", file.display()));
    let missing = DirSource::open(&dir.path().join("nope")).unwrap_err();
    assert!(matches!(missing, SourceError::Io { .. }));
    assert!(missing.to_string().contains("nope"), "{missing}");
}

#[test]
fn load_fills_the_snapshot_from_a_directory() {
    let dir = clone_like("dir-load");
    let mut source = DirSource::open(dir.path()).unwrap();
    let snapshot = load(&mut source);
    assert_eq!(snapshot.content("deployment/deployment.yaml"), Some(&Content::Bytes(b"kind: Deployment\n".to_vec())));
    assert_eq!(snapshot.content("README.md"), None);
}
