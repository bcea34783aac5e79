#![cfg(not(target_arch = "wasm32"))]
//! The whole check on hostile input: random edits of a real-looking release
//! and arbitrary text where manifests, values and settings are expected.
//! The rules must return a report, never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use m13_rules::{Origin, RuleId, Snapshot, SourceKind, check};
use proptest::prelude::*;

const FILES: [&str; 7] = [
    "deployment/deployment.yaml",
    "deployment/service.yaml",
    "deployment/config.yaml",
    "deployment/secret.yaml",
    "values-postgres.yaml",
    "mysite/mysite/settings.py",
    "Dockerfile",
];

fn fixture(path: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sp24-pass/release");
    std::fs::read(root.join(path)).unwrap_or_default()
}

fn run(files: Vec<(String, Vec<u8>)>) {
    let origin = Origin::new(SourceKind::Zip { name: "fuzz.zip".into() })
        .posted_url("https://github.com/a/b/releases/tag/milestone-13.1");
    let report = check(&Snapshot::from_files(files), &origin);
    assert_eq!(report.results.len(), RuleId::ALL.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_edits_of_a_release_never_panic(edits in proptest::collection::vec((0usize..FILES.len(), any::<usize>(), any::<u8>(), 0u8..3), 1..40)) {
        let mut files: Vec<(String, Vec<u8>)> = FILES.iter().map(|p| ((*p).to_owned(), fixture(p))).collect();
        for (file, position, byte, action) in edits {
            let Some((_, bytes)) = files.get_mut(file) else { continue };
            let at = if bytes.is_empty() { 0 } else { position % bytes.len() };
            match action {
                0 => bytes.insert(at, byte),
                1 if !bytes.is_empty() => { bytes.remove(at); }
                _ => if let Some(b) = bytes.get_mut(at) { *b = byte },
            }
        }
        run(files);
    }

    #[test]
    fn arbitrary_text_in_every_file_never_panics(texts in proptest::collection::vec(".{0,400}", FILES.len())) {
        run(FILES.iter().zip(texts).map(|(p, t)| ((*p).to_owned(), t.into_bytes())).collect());
    }

    #[test]
    fn yaml_shaped_noise_never_panics(lines in proptest::collection::vec("( {0,6})(-? ?)([a-zA-Z]{1,8})(: ?)([a-z0-9\"'&*!|>{}\\[\\],]{0,10})", 0..60)) {
        let text = lines.join("\n");
        let files = vec![
            ("deployment/deployment.yaml".to_owned(), text.clone().into_bytes()),
            ("deployment/secret.yaml".to_owned(), text.clone().into_bytes()),
            ("values-postgres.yaml".to_owned(), text.into_bytes()),
        ];
        run(files);
    }
}
