//! A resubmission against the release sent back before it: which verdicts
//! changed (fixed, broken, still failing) and which of the files the rules
//! read changed. Both checks are already made; this only compares them, so
//! the CLI and the web app say the same thing of the same two releases.

use serde::Serialize;

use crate::url::{TagReading, read_tag};
use crate::{Content, Report, RuleId, Snapshot, Status};

/// What happened to one rule between the earlier release and this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// It failed before and does not now.
    Fixed,
    /// It did not fail before and fails now.
    Broken,
    /// It failed both times: the review's point is still open.
    StillFailing,
    /// Another change of status (a warning resolved, a pass now manual...).
    Changed,
}

impl Change {
    pub fn of(before: Status, after: Status) -> Option<Change> {
        match (before, after) {
            (Status::Fail, Status::Fail) => Some(Change::StillFailing),
            (Status::Fail, _) => Some(Change::Fixed),
            (_, Status::Fail) => Some(Change::Broken),
            _ if before != after => Some(Change::Changed),
            _ => None,
        }
    }

    /// How a list of this change is headed in a report.
    pub fn heading(self) -> &'static str {
        match self {
            Change::Fixed => "Fixed",
            Change::Broken => "Broken",
            Change::StillFailing => "Still failing",
            Change::Changed => "Changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleChange {
    pub id: RuleId,
    pub before: Status,
    pub after: Status,
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileChange {
    Added,
    Removed,
    Modified,
}

/// A file the rules read in either release whose bytes differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    pub path: String,
    pub change: FileChange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// What the earlier release is called: its tag, or the zip's name.
    pub earlier: String,
    /// Every rule whose status differs, and every rule failing both times,
    /// in registry order.
    pub rules: Vec<RuleChange>,
    /// The files the rules read that differ, by path.
    pub files: Vec<ChangedFile>,
}

impl Comparison {
    /// The rules that changed this way, in registry order.
    pub fn with(&self, change: Change) -> impl Iterator<Item = &RuleChange> {
        self.rules.iter().filter(move |r| r.change == change)
    }

    /// Nothing any rule reads differs and no verdict moved.
    pub fn is_unchanged(&self) -> bool {
        self.files.is_empty() && self.rules.iter().all(|r| r.change == Change::StillFailing)
    }
}

/// Compares a release (`later`) with the one before it (`earlier`), each
/// with the snapshot it was checked from.
pub fn compare(earlier_name: &str, earlier: (&Report, &Snapshot), later: (&Report, &Snapshot)) -> Comparison {
    let rules = later
        .0
        .results
        .iter()
        .filter_map(|after| {
            let before = earlier.0.finding(after.id)?;
            let change = Change::of(before.status, after.status)?;
            Some(RuleChange { id: after.id, before: before.status, after: after.status, change })
        })
        .collect();
    Comparison { earlier: earlier_name.to_owned(), rules, files: changed_files(earlier.1, later.1) }
}

/// The files the rules read in either snapshot whose content differs.
fn changed_files(earlier: &Snapshot, later: &Snapshot) -> Vec<ChangedFile> {
    let mut paths: Vec<&str> = earlier.read_paths().chain(later.read_paths()).collect();
    crate::order::sort(&mut paths);
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let change = match (earlier.exists(path), later.exists(path)) {
                (false, true) => FileChange::Added,
                (true, false) => FileChange::Removed,
                (false, false) => return None,
                // Unread on one side (too large, refused): a difference only
                // when both were read.
                (true, true) => match (bytes(earlier.content(path)), bytes(later.content(path))) {
                    (Some(a), Some(b)) if a != b => FileChange::Modified,
                    _ => return None,
                },
            };
            Some(ChangedFile { path: path.to_owned(), change })
        })
        .collect()
}

/// Of a repository's `tags`, the milestone-13 ones before `current`
/// (`milestone-13.3` comes after `milestone-13.2` and `milestone-13`),
/// the latest first: what a resubmission can be compared with.
pub fn earlier_milestone_tags(tags: &[String], current: &str) -> Vec<String> {
    let Some(now) = milestone_13_version(current) else { return Vec::new() };
    let mut earlier: Vec<(Vec<u64>, &String)> = tags
        .iter()
        .filter_map(|tag| milestone_13_version(tag).map(|v| (v, tag)))
        .filter(|(version, tag)| *version < now && tag.as_str() != current)
        .collect();
    earlier.sort_by(|a, b| b.cmp(a));
    earlier.dedup_by(|a, b| a.1 == b.1);
    earlier.into_iter().map(|(_, tag)| tag.clone()).collect()
}

fn bytes(content: Option<&Content>) -> Option<&[u8]> {
    match content {
        Some(Content::Bytes(bytes)) => Some(bytes),
        _ => None,
    }
}

/// `milestone-13.2.1` is `[2, 1]`, `milestone-13` is `[]`; `None` for a tag
/// that is not milestone 13.
fn milestone_13_version(tag: &str) -> Option<Vec<u64>> {
    if !matches!(read_tag(tag), TagReading::Milestone13 | TagReading::Milestone13Unusual(_)) {
        return None;
    }
    let lower = tag.to_ascii_lowercase();
    let after = lower.split_once("13").map(|(_, rest)| rest)?;
    // Capped: a hostile tag of a thousand dots stays a short key.
    Some(
        after
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .take(8)
            .map(|n| n.parse().unwrap_or(u64::MAX))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Origin, SourceKind};

    fn checked(files: &[(&str, &str)]) -> (Report, Snapshot) {
        let snapshot = Snapshot::from_files(files.iter().map(|(p, c)| (*p, c.as_bytes().to_vec())));
        let report = crate::check(&snapshot, &Origin::new(SourceKind::Zip { name: "r.zip".into() }));
        (report, snapshot)
    }

    #[test]
    fn statuses_map_to_changes() {
        assert_eq!(Change::of(Status::Fail, Status::Pass), Some(Change::Fixed));
        assert_eq!(Change::of(Status::Fail, Status::Warn), Some(Change::Fixed));
        assert_eq!(Change::of(Status::Pass, Status::Fail), Some(Change::Broken));
        assert_eq!(Change::of(Status::Fail, Status::Fail), Some(Change::StillFailing));
        assert_eq!(Change::of(Status::Warn, Status::Pass), Some(Change::Changed));
        assert_eq!(Change::of(Status::Pass, Status::Pass), None);
    }

    #[test]
    fn a_new_deployment_file_is_a_fix_and_an_added_file() {
        let before = checked(&[("mysite/settings.py", "DEBUG = True\n")]);
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
        let after = checked(&[("mysite/settings.py", "DEBUG = False\n"), ("deployment/deployment.yaml", deployment)]);
        let comparison = compare("milestone-13.1", (&before.0, &before.1), (&after.0, &after.1));
        assert_eq!(comparison.earlier, "milestone-13.1");
        assert!(
            comparison
                .files
                .contains(&ChangedFile { path: "deployment/deployment.yaml".into(), change: FileChange::Added })
        );
        assert!(
            comparison.files.contains(&ChangedFile { path: "mysite/settings.py".into(), change: FileChange::Modified })
        );
        // The same release twice: nothing moved.
        let same = compare("again", (&after.0, &after.1), (&after.0, &after.1));
        assert!(same.is_unchanged(), "{same:?}");
        assert!(same.with(Change::Fixed).next().is_none());
    }

    #[test]
    fn earlier_tags_are_milestone_13_before_the_current_one_latest_first() {
        let tags: Vec<String> = [
            "milestone-13.1",
            "milestone-13.10",
            "milestone-13.2",
            "milestone-12.1",
            "v1",
            "milestone-13.3",
            "Milestone-13",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            earlier_milestone_tags(&tags, "milestone-13.3"),
            ["milestone-13.2", "milestone-13.1", "Milestone-13"]
        );
        assert_eq!(
            earlier_milestone_tags(&tags, "milestone-13.10").first().map(String::as_str),
            Some("milestone-13.3")
        );
        assert!(earlier_milestone_tags(&tags, "main").is_empty());
        assert!(earlier_milestone_tags(&tags, "Milestone-13").is_empty());
    }
}
