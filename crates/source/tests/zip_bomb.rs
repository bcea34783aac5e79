//! A zip bomb: one entry of 200 MB of zeros squeezed into a few hundred KB.
//! Reading it must be refused without inflating it. This file is its own
//! test binary so the peak-memory check sees only this test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use std::io::{Cursor, Write};

use m13_rules::Content;
use m13_source::zip::ZipSource;
use m13_source::{Source, SourceError, load};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use common::patch_u32;

const BOMB_BYTES: usize = 200 * 1024 * 1024;

/// `deployment/bomb.yaml` (200 MB of zeros) and a small settings file,
/// written a chunk at a time so building it stays small too.
fn bomb() -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    writer.start_file("r/mysite/mysite/settings.py", options).unwrap();
    writer.write_all(b"DEBUG = False\n").unwrap();
    writer.start_file("r/deployment/bomb.yaml", options).unwrap();
    let chunk = vec![0u8; 1024 * 1024];
    for _ in 0..BOMB_BYTES / chunk.len() {
        writer.write_all(&chunk).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Peak resident memory of this process, in bytes (Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn a_zip_bomb_is_refused_without_inflating_it() {
    let honest = bomb();
    assert!(honest.len() < 2 * 1024 * 1024, "the bomb should be small: {} bytes", honest.len());

    // Declared honestly: refused from the declared size.
    let mut source = ZipSource::from_bytes("bomb.zip", honest.clone()).unwrap();
    let error = source.read("deployment/bomb.yaml").unwrap_err();
    assert!(matches!(error, SourceError::TooLarge { .. }), "{error:?}");
    assert_eq!(error.reason(), "larger than the 1 MiB limit for one file (200 MiB)");
    let snapshot = load(&mut source);
    assert!(matches!(
        snapshot.content("mysite/mysite/settings.py"),
        Some(Content::Bytes(b)) if b == b"DEBUG = False\n"
    ));

    // Lying: both headers claim 100 bytes (uncompressed size at offset 22
    // of a local header, 24 of a central record). The read must fail, not
    // hand back 200 MB.
    let mut lying = honest;
    patch_u32(&mut lying, 22, 24, 100);
    let mut source = ZipSource::from_bytes("lying.zip", lying).unwrap();
    let entry = source.entries().iter().find(|e| e.path == "deployment/bomb.yaml").unwrap();
    assert_eq!(entry.size, 100);
    match source.read("deployment/bomb.yaml") {
        Ok(bytes) => panic!("a lying entry was read: {} bytes", bytes.len()),
        Err(error) => {
            assert!(matches!(error, SourceError::TooLarge { .. } | SourceError::EntryDamaged { .. }), "{error:?}")
        }
    }

    if let Some(peak) = peak_memory() {
        assert!(peak < 64 * 1024 * 1024, "peak memory {} MiB", peak / 1024 / 1024);
    }
}
