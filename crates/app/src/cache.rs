//! Finished checks remembered in the browser (localStorage), so a reload or
//! a second look costs no GitHub API call.
//!
//! What is stored is the *input* of a check (the listing, the fetched files
//! and what GitHub said about the release), never the report: on load the
//! current rules run again, which is cheap and never shows a verdict from
//! an older version of the rules.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use m13_rules::{Entry, Origin, ReleaseProof, Report, Snapshot, SourceKind, check};
use serde::{Deserialize, Serialize};

use crate::input::ReleaseRef;
use crate::prefetched::Prefetched;

/// Bumped when [`StoredCheck`] changes shape; older records are ignored.
pub const VERSION: u32 = 1;
const CHECK_PREFIX: &str = "m13.check.v1:";
/// One ticked step id per line (v1 was JSON).
const STEPS_PREFIX: &str = "m13.steps.v2:";
/// The list of remembered checks, oldest first, one key per line.
pub const INDEX_KEY: &str = "m13.checks.v2";
/// How many checks are remembered; the oldest is forgotten first.
pub const MAX_REMEMBERED: usize = 16;
/// A record larger than this is not stored (localStorage holds about 5 MB
/// per site, shared by every remembered check).
pub const MAX_RECORD_CHARS: usize = 1_000_000;

/// The part of a key that names a release: GitHub treats owner and
/// repository names case-insensitively, tags case-sensitively.
pub fn release_id(owner: &str, repo: &str, tag: &str) -> String {
    format!("{}/{}@{tag}", owner.to_ascii_lowercase(), repo.to_ascii_lowercase())
}

/// Where a finished check of this release is stored.
pub fn check_key(release: &ReleaseRef) -> String {
    format!("{CHECK_PREFIX}{}", release_id(&release.owner, &release.repo, &release.tag))
}

/// Where the cluster-step checkboxes of a check are stored: per release,
/// per zip file name, or for the sample.
pub fn steps_key(subject: &str) -> String {
    format!("{STEPS_PREFIX}{subject}")
}

/// The index after `key` was stored: `key` moves to the end (newest), and
/// the oldest keys past [`MAX_REMEMBERED`] are returned to be removed.
pub fn touch(mut index: Vec<String>, key: &str) -> (Vec<String>, Vec<String>) {
    index.retain(|k| k != key);
    index.push(key.to_owned());
    let excess = index.len().saturating_sub(MAX_REMEMBERED);
    let evicted = index.drain(..excess).collect();
    (index, evicted)
}

/// Which host served the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoredSource {
    GitHub,
    Jsdelivr,
}

/// [`ReleaseProof`] as stored (the rules' type is only `Serialize`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum StoredProof {
    Published { tag: String, name: Option<String>, draft: bool, prerelease: bool },
    TagWithoutRelease { tag: String },
    NoSuchTag { tag: String },
    NotChecked { reason: String },
}

impl From<&ReleaseProof> for StoredProof {
    fn from(proof: &ReleaseProof) -> StoredProof {
        match proof {
            ReleaseProof::Published { tag, name, draft, prerelease } => {
                StoredProof::Published { tag: tag.clone(), name: name.clone(), draft: *draft, prerelease: *prerelease }
            }
            ReleaseProof::TagWithoutRelease { tag } => StoredProof::TagWithoutRelease { tag: tag.clone() },
            ReleaseProof::NoSuchTag { tag } => StoredProof::NoSuchTag { tag: tag.clone() },
            ReleaseProof::NotChecked { reason } => StoredProof::NotChecked { reason: reason.clone() },
        }
    }
}

impl From<&StoredProof> for ReleaseProof {
    fn from(proof: &StoredProof) -> ReleaseProof {
        match proof {
            StoredProof::Published { tag, name, draft, prerelease } => {
                ReleaseProof::Published { tag: tag.clone(), name: name.clone(), draft: *draft, prerelease: *prerelease }
            }
            StoredProof::TagWithoutRelease { tag } => ReleaseProof::TagWithoutRelease { tag: tag.clone() },
            StoredProof::NoSuchTag { tag } => ReleaseProof::NoSuchTag { tag: tag.clone() },
            StoredProof::NotChecked { reason } => ReleaseProof::NotChecked { reason: reason.clone() },
        }
    }
}

/// One fetched file: text as itself (readable in the browser's storage
/// inspector), anything else as base64, or why it could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoredContent {
    Text(String),
    Base64(String),
    Unreadable(String),
}

impl StoredContent {
    pub fn from_result(result: Result<Vec<u8>, String>) -> StoredContent {
        match result {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => StoredContent::Text(text),
                Err(error) => StoredContent::Base64(STANDARD.encode(error.as_bytes())),
            },
            Err(reason) => StoredContent::Unreadable(reason),
        }
    }

    pub fn to_result(&self) -> Result<Vec<u8>, String> {
        match self {
            StoredContent::Text(text) => Ok(text.clone().into_bytes()),
            StoredContent::Base64(data) => {
                STANDARD.decode(data).map_err(|e| format!("the remembered copy is damaged ({e})"))
            }
            StoredContent::Unreadable(reason) => Err(reason.clone()),
        }
    }
}

/// Everything a check of a release read from the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCheck {
    pub version: u32,
    /// When it was fetched, in milliseconds since the epoch.
    pub saved_at: f64,
    pub posted_url: String,
    pub owner: String,
    pub repo: String,
    pub tag: String,
    pub source: StoredSource,
    pub proof: StoredProof,
    /// Every path of the release with its size.
    pub entries: Vec<(String, u64)>,
    /// The files the rules read.
    pub files: BTreeMap<String, StoredContent>,
    /// What the page said about how the files were fetched.
    pub notes: Vec<String>,
}

impl StoredCheck {
    /// Reads a stored record; `None` for anything that is not a record of
    /// this [`VERSION`] (an older app, a damaged or foreign value).
    pub fn parse(json: &str) -> Option<StoredCheck> {
        serde_json::from_str::<StoredCheck>(json).ok().filter(|record| record.version == VERSION)
    }

    pub fn to_json(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    pub fn release(&self) -> ReleaseRef {
        ReleaseRef {
            owner: self.owner.clone(),
            repo: self.repo.clone(),
            tag: self.tag.clone(),
            url: self.posted_url.clone(),
        }
    }

    pub fn source_kind(&self) -> SourceKind {
        match self.source {
            StoredSource::GitHub => SourceKind::GitHub,
            StoredSource::Jsdelivr => SourceKind::Jsdelivr,
        }
    }

    pub fn origin(&self) -> Origin {
        Origin::new(self.source_kind()).posted_url(self.posted_url.clone()).release(ReleaseProof::from(&self.proof))
    }

    /// Whether the stored files are all that the current rules would fetch
    /// for this listing. A newer app may want more (a settings package's
    /// modules, say): the record is then fetched again rather than checked
    /// with files missing.
    pub fn is_current(&self) -> bool {
        crate::fetch::plan::files_to_fetch(&self.listing()).iter().all(|path| self.files.contains_key(path))
    }

    /// The release's listing as the rules take it.
    fn listing(&self) -> Vec<Entry> {
        self.entries.iter().map(|(path, size)| Entry { path: path.clone(), size: *size }).collect()
    }

    /// Runs the current rules on the stored files.
    pub fn report(&self) -> Report {
        check(&self.snapshot(), &self.origin())
    }

    /// The stored files as the rules read them.
    pub fn snapshot(&self) -> Snapshot {
        let entries = self.listing();
        let files =
            m13_rules::order::map_from(self.files.iter().map(|(path, content)| (path.clone(), content.to_result())));
        Prefetched::new(entries, files, self.source_kind()).snapshot()
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::{RuleId, Status};

    use super::*;

    fn release() -> ReleaseRef {
        ReleaseRef {
            owner: "Ana".into(),
            repo: "CIS-92".into(),
            tag: "Milestone-13.1".into(),
            url: "https://github.com/Ana/CIS-92/releases/tag/Milestone-13.1".into(),
        }
    }

    fn record() -> StoredCheck {
        let mut files = BTreeMap::new();
        files.insert("deployment/pod.yaml".to_owned(), StoredContent::from_result(Ok(b"kind: Pod\n".to_vec())));
        files.insert("deployment/blob.yaml".to_owned(), StoredContent::from_result(Ok(vec![0xff, 0xfe, 0x00])));
        files.insert("deployment/gone.yaml".to_owned(), StoredContent::from_result(Err("HTTP 404".to_owned())));
        StoredCheck {
            version: VERSION,
            saved_at: 1_700_000_000_000.0,
            posted_url: "https://github.com/ana/cis-92/releases/tag/milestone-13.1".into(),
            owner: "ana".into(),
            repo: "cis-92".into(),
            tag: "milestone-13.1".into(),
            source: StoredSource::GitHub,
            proof: StoredProof::Published {
                tag: "milestone-13.1".into(),
                name: Some("M13".into()),
                draft: false,
                prerelease: false,
            },
            entries: vec![
                ("deployment/pod.yaml".into(), 10),
                ("deployment/blob.yaml".into(), 3),
                ("deployment/gone.yaml".into(), 7),
            ],
            files,
            notes: vec!["Files from raw.githubusercontent.com.".into()],
        }
    }

    #[test]
    fn a_record_missing_a_file_the_rules_now_want_is_not_current() {
        let mut record = record();
        assert!(record.is_current(), "every wanted file was stored");
        // Listed before the rules followed `from .base import *`: base.py was not fetched.
        record.entries.push(("mysite/mysite/settings/__init__.py".into(), 20));
        record.entries.push(("mysite/mysite/settings/base.py".into(), 900));
        record.files.insert(
            "mysite/mysite/settings/__init__.py".into(),
            StoredContent::from_result(Ok(b"from .base import *\n".to_vec())),
        );
        assert!(!record.is_current());
        record
            .files
            .insert("mysite/mysite/settings/base.py".into(), StoredContent::from_result(Ok(b"A = 1\n".to_vec())));
        assert!(record.is_current());
    }

    #[test]
    fn keys_ignore_owner_and_repo_case_but_not_tag_case() {
        assert_eq!(check_key(&release()), "m13.check.v1:ana/cis-92@Milestone-13.1");
        assert_eq!(steps_key(&release_id("Ana", "CIS-92", "t")), "m13.steps.v2:ana/cis-92@t");
        assert_eq!(steps_key("sample"), "m13.steps.v2:sample");
    }

    #[test]
    fn a_record_round_trips_through_json() {
        let record = record();
        let json = record.to_json().expect("serialises");
        assert!(json.contains("\"text\":\"kind: Pod\\n\""), "text stays readable: {json}");
        assert_eq!(StoredCheck::parse(&json), Some(record.clone()));
        let blob = record.files.get("deployment/blob.yaml").map(StoredContent::to_result);
        assert_eq!(blob, Some(Ok(vec![0xff, 0xfe, 0x00])));
        let gone = record.files.get("deployment/gone.yaml").map(StoredContent::to_result);
        assert_eq!(gone, Some(Err("HTTP 404".to_owned())));
    }

    #[test]
    fn other_versions_and_garbage_are_ignored() {
        let mut old = record();
        old.version = VERSION + 1;
        let json = old.to_json().expect("serialises");
        assert_eq!(StoredCheck::parse(&json), None);
        assert_eq!(StoredCheck::parse("{\"version\":1}"), None);
        assert_eq!(StoredCheck::parse("not json"), None);
        assert_eq!(StoredContent::Base64("***".into()).to_result().map_err(|e| e.contains("damaged")), Err(true));
    }

    #[test]
    fn proofs_convert_both_ways() {
        for proof in [
            ReleaseProof::Published { tag: "t".into(), name: None, draft: true, prerelease: false },
            ReleaseProof::TagWithoutRelease { tag: "t".into() },
            ReleaseProof::NotChecked { reason: "mirror".into() },
        ] {
            assert_eq!(ReleaseProof::from(&StoredProof::from(&proof)), proof);
        }
    }

    #[test]
    fn the_stored_files_are_checked_again() {
        let report = record().report();
        assert_eq!(report.origin.source, SourceKind::GitHub);
        assert_eq!(report.finding(RuleId::ReleaseTag).map(|f| f.status), Some(Status::Pass));
        assert_eq!(report.finding(RuleId::PodRemoved).map(|f| f.status), Some(Status::Fail));
    }

    #[test]
    fn touch_moves_a_key_to_the_end_and_evicts_the_oldest() {
        let (index, evicted) = touch(vec!["a".into(), "b".into()], "a");
        assert_eq!(index, vec!["b".to_owned(), "a".to_owned()]);
        assert!(evicted.is_empty());
        let full: Vec<String> = (0..MAX_REMEMBERED).map(|i| i.to_string()).collect();
        let (index, evicted) = touch(full, "new");
        assert_eq!(index.len(), MAX_REMEMBERED);
        assert_eq!(evicted, vec!["0".to_owned()]);
        assert_eq!(index.last().map(String::as_str), Some("new"));
    }
}
