//! `ZipSource` on the archives students hand in, and on the ones that would
//! hurt: names that climb out, archives cut short, files that are no zip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use std::io::{Cursor, Write};

use m13_rules::{Content, SourceKind};
use m13_source::zip::{ZipLimits, ZipSource};
use m13_source::{Source, SourceError, load};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use common::{TempDir, github_zipball, set_flags, zip_of};

fn paths(source: &ZipSource) -> Vec<&str> {
    source.entries().iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn github_zipball_loses_its_top_folder_and_directory_entries() {
    let mut source = ZipSource::from_bytes("cis-92-milestone-13.1.zip", github_zipball()).unwrap();
    assert_eq!(paths(&source), ["README.md", "deployment/deployment.yaml", "mysite/mysite/settings.py"]);
    assert_eq!(source.entries()[0].size, 9);
    assert_eq!(source.read("README.md").unwrap(), b"# CIS-92\n");
    assert_eq!(source.kind(), SourceKind::Zip { name: "cis-92-milestone-13.1.zip".into() });
    assert!(source.skipped().is_empty());
}

#[test]
fn two_top_folders_are_kept() {
    let source = ZipSource::from_bytes("r.zip", zip_of(&[("a/x.txt", b"1"), ("b/y.txt", b"2")])).unwrap();
    assert_eq!(paths(&source), ["a/x.txt", "b/y.txt"]);
}

#[test]
fn a_single_file_at_the_root_is_not_a_top_folder() {
    let source = ZipSource::from_bytes("r.zip", zip_of(&[("README.md", b"hi")])).unwrap();
    assert_eq!(paths(&source), ["README.md"]);
}

#[test]
fn a_folder_whose_name_only_starts_like_the_top_is_not_under_it() {
    let source = ZipSource::from_bytes("r.zip", zip_of(&[("app/x.txt", b"1"), ("apple/y.txt", b"2")])).unwrap();
    assert_eq!(paths(&source), ["app/x.txt", "apple/y.txt"]);
}

#[test]
fn names_that_escape_are_skipped_and_noted() {
    let bytes = zip_of(&[
        ("top/ok.txt", b"fine"),
        ("../evil", b"x"),
        ("/abs", b"x"),
        ("top\\windows.txt", b"x"),
        ("top/../../up.txt", b"x"),
    ]);
    let mut source = ZipSource::from_bytes("r.zip", bytes).unwrap();
    // Only the safe name is left, and the top folder is stripped from it.
    assert_eq!(paths(&source), ["ok.txt"]);
    let skipped = source.skipped().join("\n");
    assert!(skipped.contains("`../evil`: the name climbs out of the archive with `..`"), "{skipped}");
    assert!(skipped.contains("`/abs`: an absolute path"), "{skipped}");
    assert!(skipped.contains("`top\\\\windows.txt`: the name uses `\\`"), "{skipped}");
    assert_eq!(source.skipped().len(), 4);
    assert!(matches!(source.read("../evil"), Err(SourceError::NotListed { .. })));
}

#[test]
fn symbolic_links_are_not_listed() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    writer.start_file("r/settings.py", options).unwrap();
    writer.write_all(b"x = 1\n").unwrap();
    writer.add_symlink("r/link.py", "/etc/passwd", options).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let source = ZipSource::from_bytes("r.zip", bytes).unwrap();
    assert_eq!(paths(&source), ["settings.py"]);
    assert_eq!(source.skipped(), ["`link.py`: a symbolic link, not followed"]);
}

#[test]
fn a_web_page_saved_as_zip_is_not_a_zip() {
    let error =
        ZipSource::from_bytes("x.zip", b"<!DOCTYPE html><html><body>Sign in</body></html>".to_vec()).unwrap_err();
    assert!(matches!(error, SourceError::NotZip { .. }));
    assert_eq!(error.to_string(), "`x.zip` is not a zip file: it is a web page (HTML), not the download itself");
}

#[test]
fn other_non_zips_say_what_they_are() {
    let tar_gz = ZipSource::from_bytes("x.zip", vec![0x1f, 0x8b, 8, 0, 0, 0]).unwrap_err().to_string();
    assert!(tar_gz.contains("Source code (tar.gz)"), "{tar_gz}");
    let empty = ZipSource::from_bytes("x.zip", Vec::new()).unwrap_err().to_string();
    assert_eq!(empty, "`x.zip` is not a zip file: it is empty (0 bytes)");
    let text = ZipSource::from_bytes("x.zip", b"just some text".to_vec()).unwrap_err().to_string();
    assert_eq!(text, "`x.zip` is not a zip file: it does not start like a zip archive");
}

#[test]
fn a_zip_cut_in_half_is_damaged() {
    let mut bytes = github_zipball();
    bytes.truncate(bytes.len() / 2);
    let error = ZipSource::from_bytes("half.zip", bytes).unwrap_err();
    assert!(matches!(error, SourceError::Damaged { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("`half.zip` is damaged: "), "{message}");
    assert!(message.contains("download it again"), "{message}");
    assert!(message.contains("cut short"), "{message}");
}

#[test]
fn an_empty_zip_is_an_error() {
    let empty = zip_of(&[]);
    let error = ZipSource::from_bytes("empty.zip", empty).unwrap_err();
    assert_eq!(error.to_string(), "`empty.zip` is an empty zip: it holds no files");
    let only_folders = zip_of(&[("a/", b""), ("a/b/", b"")]);
    assert!(matches!(ZipSource::from_bytes("dirs.zip", only_folders), Err(SourceError::Empty { .. })));
}

#[test]
fn too_many_entries_is_refused_before_listing() {
    let names: Vec<String> = (0..11).map(|i| format!("f{i}.txt")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let limits = ZipLimits { max_entries: 10, ..ZipLimits::default() };
    let error = ZipSource::from_bytes_with_limits("many.zip", zip_of(&files), limits).unwrap_err();
    assert!(matches!(error, SourceError::TooManyEntries { limit: 10, .. }));
    assert!(error.to_string().starts_with("`many.zip` has more than 10 entries"), "{error}");
    assert!(ZipSource::from_bytes_with_limits("ok.zip", zip_of(&files[..10]), limits).is_ok());
}

#[test]
fn a_file_over_the_cap_is_not_read() {
    let big = vec![b'a'; 5000];
    let limits = ZipLimits { max_file_bytes: 4096, ..ZipLimits::default() };
    let mut source = ZipSource::from_bytes_with_limits("r.zip", zip_of(&[("big.yaml", &big)]), limits).unwrap();
    let error = source.read("big.yaml").unwrap_err();
    assert_eq!(error.to_string(), "`big.yaml` is larger than the 4 KiB limit for one file (4.9 KiB)");
    assert_eq!(error.reason(), "larger than the 4 KiB limit for one file (4.9 KiB)");
}

#[test]
fn non_utf8_content_passes_through_unchanged() {
    let latin1 = b"# caf\xe9\nDEBUG = True\n\xff\xfe";
    let mut source = ZipSource::from_bytes("r.zip", zip_of(&[("settings.py", latin1)])).unwrap();
    assert_eq!(source.read("settings.py").unwrap(), latin1);
}

#[test]
fn an_encrypted_entry_reads_as_encrypted() {
    let mut bytes = zip_of(&[("secret.yaml", b"password: hunter2")]);
    set_flags(&mut bytes, 1);
    let mut source = ZipSource::from_bytes("r.zip", bytes).unwrap();
    let error = source.read("secret.yaml").unwrap_err();
    assert!(matches!(error, SourceError::Encrypted { .. }), "{error:?}");
    assert_eq!(error.reason(), "encrypted");
}

#[test]
fn corrupt_compressed_data_is_reported_for_that_entry() {
    let text: Vec<u8> = (0..4000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
    let mut bytes = zip_of(&[("a.txt", &text)]);
    // Scramble the middle of the deflate stream, after the 30-byte local header and name.
    for byte in &mut bytes[60..400] {
        *byte = byte.wrapping_mul(31).wrapping_add(7);
    }
    let mut source = ZipSource::from_bytes("r.zip", bytes).unwrap();
    let error = source.read("a.txt").unwrap_err();
    assert!(matches!(error, SourceError::EntryDamaged { .. }), "{error:?}");
    assert!(error.to_string().starts_with("`a.txt` could not be inflated: "), "{error}");
}

#[test]
fn open_reads_a_zip_file_on_disk() {
    let dir = TempDir::new("zip-open");
    let path = dir.write("release.zip", &github_zipball());
    let mut source = ZipSource::open(&path).unwrap();
    assert_eq!(source.read("mysite/mysite/settings.py").unwrap(), b"DEBUG = False\n");
    let missing = ZipSource::open(&dir.path().join("nope.zip")).unwrap_err();
    assert!(matches!(missing, SourceError::Io { .. }));
    assert!(missing.to_string().contains("nope.zip"), "{missing}");
    let html = dir.write("page.zip", b"<html><body>404</body></html>");
    assert!(matches!(ZipSource::open(&html), Err(SourceError::NotZip { .. })));
}

#[test]
fn load_reads_only_the_wanted_files() {
    let mut source = ZipSource::from_bytes("r.zip", github_zipball()).unwrap();
    let snapshot = load(&mut source);
    assert_eq!(snapshot.entries().len(), 3);
    assert_eq!(
        snapshot.content("deployment/deployment.yaml"),
        Some(&Content::Bytes(b"apiVersion: apps/v1\nkind: Deployment\n".to_vec()))
    );
    assert_eq!(snapshot.content("mysite/mysite/settings.py"), Some(&Content::Bytes(b"DEBUG = False\n".to_vec())));
    assert_eq!(snapshot.content("README.md"), None);
}
