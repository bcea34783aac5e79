//! The rules compiled to wasm give the web app the same verdicts as the
//! CLI: two fixture releases, embedded, checked in node by
//! wasm-bindgen-test, against the statuses their `expected.txt` names.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use m13_rules::{Origin, RuleId, Snapshot, SourceKind, check};
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! release {
    ($case:literal: $($path:literal),* $(,)?) => {
        (
            include_str!(concat!("fixtures/", $case, "/expected.txt")),
            vec![$(($path, include_str!(concat!("fixtures/", $case, "/release/", $path)))),*],
        )
    };
}

fn assert_expected((expected, files): (&str, Vec<(&str, &str)>)) {
    let expected = m13_testkit::parse_expected(expected).expect("a readable expected.txt");
    let mut origin = Origin::new(SourceKind::Sample);
    if let Some(url) = &expected.url {
        origin = origin.posted_url(url);
    }
    let report = check(&Snapshot::from_files(files.into_iter().map(|(p, t)| (p, t.as_bytes().to_vec()))), &origin);
    assert_eq!(expected.statuses.len(), RuleId::ALL.len());
    for (id, status) in expected.statuses {
        assert_eq!(report.finding(id).map(|f| f.status), Some(status), "{id}");
    }
}

#[wasm_bindgen_test]
fn a_passing_release_passes_in_wasm() {
    assert_expected(release!("sp24-pass":
        "deployment/deployment.yaml", "deployment/service.yaml", "deployment/config.yaml", "deployment/secret.yaml",
        "values-postgres.yaml", "Dockerfile", "requirements.txt", "mysite/mysite/settings.py",
    ));
}

#[wasm_bindgen_test]
fn the_admin_password_mistake_fails_in_wasm() {
    assert_expected(release!("postgres-password-confusion":
        "deployment/deployment.yaml", "deployment/service.yaml", "deployment/config.yaml", "deployment/secret.yaml",
        "values-postgres.yaml", "Dockerfile", "requirements.txt", "mysite/mysite/settings.py",
    ));
}
