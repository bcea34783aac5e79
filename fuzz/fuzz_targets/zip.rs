#![no_main]
//! The zip reader on arbitrary bytes, then the whole check on what it reads.
use libfuzzer_sys::fuzz_target;
use m13_rules::{Origin, SourceKind};
use m13_source::zip::ZipSource;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut source) = ZipSource::from_bytes("fuzz.zip", data.to_vec()) {
        let snapshot = m13_source::load(&mut source);
        let _ = m13_rules::check(&snapshot, &Origin::new(SourceKind::Zip { name: "fuzz.zip".into() }));
    }
});
