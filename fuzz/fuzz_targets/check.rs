#![no_main]
//! The whole check on a release whose files are split out of the input:
//! the first bytes choose which file each chunk becomes.
use libfuzzer_sys::fuzz_target;
use m13_rules::{Origin, Snapshot, SourceKind};

/// `base.py` and `local.py` are modules next to the settings: `from .base
/// import *` and `ENV DJANGO_SETTINGS_MODULE=mysite.local` reach them;
/// `manage.py` may name one too, and `start.sh` is read when the Dockerfile's
/// `CMD` runs it.
const PATHS: [&str; 12] = [
    "deployment/deployment.yaml",
    "deployment/service.yaml",
    "deployment/config.yaml",
    "deployment/secret.yaml",
    "values-postgres.yaml",
    "mysite/mysite/settings.py",
    "Dockerfile",
    "requirements.txt",
    "mysite/mysite/base.py",
    "mysite/mysite/local.py",
    "mysite/manage.py",
    "start.sh",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0)
        .enumerate()
        .filter_map(|(i, chunk)| PATHS.get(i).map(|p| ((*p).to_owned(), chunk.to_vec())))
        .collect();
    let origin = Origin::new(SourceKind::Sample).posted_url("https://github.com/a/b/releases/tag/milestone-13.1");
    let _ = m13_rules::check(&Snapshot::from_files(files), &origin);
});
