#![no_main]
//! The settings interpreter through the whole check: the input is
//! `settings.py` of the passing release (whose ConfigMap and Secret answer
//! its environment lookups), so growth idioms meet real values. Run with
//! `dict/settings.dict` (`X = X + X`, `+=`, nested literals, dicts of dicts),
//! `-rss_limit_mb=512` and `-timeout=5`: a value that grows without bound,
//! or a run that crawls, is a finding.
use libfuzzer_sys::fuzz_target;
use m13_rules::{Origin, Snapshot, SourceKind};

macro_rules! fixture {
    ($($path:literal),* $(,)?) => {
        [$(($path, include_bytes!(concat!("../../crates/rules/tests/fixtures/sp24-pass/release/", $path)).as_slice())),*]
    };
}

const RELEASE: [(&str, &[u8]); 7] = fixture!(
    "deployment/deployment.yaml",
    "deployment/service.yaml",
    "deployment/config.yaml",
    "deployment/secret.yaml",
    "values-postgres.yaml",
    "Dockerfile",
    "requirements.txt",
);

fuzz_target!(|data: &[u8]| {
    let mut files: Vec<(String, Vec<u8>)> = RELEASE.iter().map(|(p, b)| ((*p).to_owned(), b.to_vec())).collect();
    files.push(("mysite/mysite/settings.py".to_owned(), data.to_vec()));
    let origin = Origin::new(SourceKind::Sample).posted_url("https://github.com/a/b/releases/tag/milestone-13.1");
    let _ = m13_rules::check(&Snapshot::from_files(files), &origin);
});
