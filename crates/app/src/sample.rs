//! The built-in sample release (`web/sample/`): a Spring 2024 layout with
//! three realistic mistakes, checked with no network at all so a fresh
//! `cargo xtask serve` shows a working product.

use m13_rules::{Origin, ReleaseProof, Report, Snapshot, SourceKind, check};

/// The URL the sample pretends was posted, so `release-tag` is judged too.
pub const POSTED_URL: &str = "https://github.com/sam-rivera/cis-92/releases/tag/milestone-13.1";
/// The repository and tag of [`POSTED_URL`] (for the issue link).
pub const OWNER: &str = "sam-rivera";
pub const REPO: &str = "cis-92";
pub const TAG: &str = "milestone-13.1";
pub const LABEL: &str = "built-in sample release";

macro_rules! sample_files {
    ($($path:literal),* $(,)?) => {
        /// Every file of the sample, by release path.
        pub const FILES: &[(&str, &str)] = &[
            $(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/sample/", $path)))),*
        ];
    };
}

sample_files![
    "Dockerfile",
    "README.md",
    "deployment/config.yaml",
    "deployment/deployment.yaml",
    "deployment/pvc.yaml",
    "deployment/secret.yaml",
    "deployment/service.yaml",
    "mysite/manage.py",
    "mysite/mysite/settings.py",
    "requirements.txt",
    "values-postgres.yaml",
];

pub fn origin() -> Origin {
    Origin::new(SourceKind::Sample)
        .posted_url(POSTED_URL)
        .release(ReleaseProof::NotChecked { reason: "this is the built-in sample, so GitHub was not asked".to_owned() })
}

pub fn snapshot() -> Snapshot {
    Snapshot::from_files(FILES.iter().map(|(path, text)| (*path, text.as_bytes())))
}

/// Checks the sample with the current rules.
pub fn report() -> Report {
    check(&snapshot(), &origin())
}

#[cfg(test)]
mod tests {
    use m13_rules::{RuleId, Status};

    use super::*;

    #[test]
    fn every_file_of_web_sample_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/sample");
        let mut on_disk = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(path) = stack.pop() {
            for entry in std::fs::read_dir(&path).expect("web/sample is readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(relative) = path.strip_prefix(dir) {
                    on_disk.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let embedded: Vec<String> = FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        assert_eq!(embedded, on_disk, "list every file of web/sample in sample_files!");
    }

    #[test]
    fn the_sample_has_its_three_mistakes_and_nothing_else_fails() {
        let report = report();
        let failed: Vec<RuleId> = report.results.iter().filter(|f| f.status == Status::Fail).map(|f| f.id).collect();
        assert_eq!(failed, vec![RuleId::PvcRemoved, RuleId::CpuRequestRange, RuleId::SecretMatchesValues]);
        assert_eq!(report.finding(RuleId::ReleaseTag).map(|f| f.status), Some(Status::Pass));
        assert_eq!(report.origin.source, SourceKind::Sample);
        assert_eq!(report.results.len(), RuleId::ALL.len());
    }
}
