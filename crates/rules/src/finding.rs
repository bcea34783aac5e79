//! What a rule says about a release: a status, a message, evidence and a fix.

use serde::{Deserialize, Serialize};

use crate::rule_id::RuleId;
use crate::shown::{MAX_EVIDENCE, thousands};

/// The verdict of one rule on one release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The requirement is not met: the reviewer should send it back.
    Fail,
    /// Met, but something deserves a look (a name that differs from the page,
    /// limits copied into requests...).
    Warn,
    /// The checker cannot decide from the files; a person must look. The
    /// message always says why.
    Manual,
    /// The requirement is met.
    Pass,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Fail, Status::Warn, Status::Manual, Status::Pass];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Manual => "manual",
        }
    }

    /// Parses the JSON spelling (`pass`, `fail`, `warn`, `manual`).
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of evidence: where in the release, what was found there and what
/// the milestone expects. `path` is a path inside the release, or the posted
/// URL for `release-tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub path: String,
    pub line: Option<u32>,
    /// 1-based column of the value on `line`, when the rule knows it
    /// (kubectl's rejections do).
    #[serde(default)]
    pub column: Option<u32>,
    pub found: Option<String>,
    pub expected: Option<String>,
}

impl Evidence {
    pub fn at(path: impl Into<String>, line: Option<u32>) -> Evidence {
        Evidence { path: path.into(), line, column: None, found: None, expected: None }
    }

    /// The column on the line (ignored without a line; 0 is "unknown").
    pub fn column(mut self, column: u32) -> Evidence {
        self.column = (self.line.is_some() && column > 0).then_some(column);
        self
    }

    /// What is there; a long text is clipped ([`crate::shown::clip`]).
    pub fn found(mut self, found: impl Into<String>) -> Evidence {
        self.found = Some(crate::shown::clip_owned(found.into()));
        self
    }

    /// What the milestone wants there; clipped like `found`.
    pub fn expected(mut self, expected: impl Into<String>) -> Evidence {
        self.expected = Some(crate::shown::clip_owned(expected.into()));
        self
    }

    /// `path:line:column`, `path:line`, or just `path`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.path),
            (Some(line), None) => format!("{}:{line}", self.path),
            (None, _) => self.path.clone(),
        }
    }
}

/// The result of one rule on one release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: RuleId,
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// How to fix it: `None` when the rule passed.
    pub fix: Option<String>,
}

/// What a rule's `check` returns; the engine adds the rule id and, for a
/// failure without a specific fix, the rule's remediation, and keeps the
/// first [`crate::shown::MAX_EVIDENCE`] entries of evidence plus a count of
/// the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub fix: Option<String>,
    /// What the evidence entries are, for the count of those not shown:
    /// "and 19,990 more objects". `places` unless the rule says.
    pub noun: &'static str,
}

impl Verdict {
    pub fn new(status: Status, message: impl Into<String>) -> Verdict {
        Verdict { status, message: message.into(), evidence: Vec::new(), fix: None, noun: "places" }
    }
    pub fn pass(message: impl Into<String>) -> Verdict {
        Verdict::new(Status::Pass, message)
    }
    pub fn fail(message: impl Into<String>) -> Verdict {
        Verdict::new(Status::Fail, message)
    }
    pub fn warn(message: impl Into<String>) -> Verdict {
        Verdict::new(Status::Warn, message)
    }
    pub fn manual(message: impl Into<String>) -> Verdict {
        Verdict::new(Status::Manual, message)
    }
    pub fn with(mut self, evidence: Evidence) -> Verdict {
        self.evidence.push(evidence);
        self
    }
    pub fn with_all(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Verdict {
        self.evidence.extend(evidence);
        self
    }
    pub fn fix(mut self, fix: impl Into<String>) -> Verdict {
        self.fix = Some(fix.into());
        self
    }
    /// Names what the evidence entries are (`objects`, `files`).
    pub fn counting(mut self, noun: &'static str) -> Verdict {
        self.noun = noun;
        self
    }
}

/// Upper-cases an ASCII first letter of a sentence built from our own
/// messages or rule ids, which are ASCII: Unicode's case tables would add
/// 24 KB to the web app.
pub fn capitalise(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// At most [`MAX_EVIDENCE`] entries, then one that counts the rest
/// (`and 19,990 more objects`) at the place they share: their file, or
/// the directory holding them all.
pub fn cap_evidence(mut evidence: Vec<Evidence>, noun: &str) -> Vec<Evidence> {
    if evidence.len() <= MAX_EVIDENCE + 1 {
        return evidence;
    }
    let rest = evidence.split_off(MAX_EVIDENCE);
    let shared = shared_place(&rest);
    evidence.push(Evidence::at(shared, None).found(format!("and {} more {noun}", thousands(rest.len()))));
    evidence
}

/// The path every entry has, else their common directory (`deployment/`),
/// else the first entry's path.
fn shared_place(evidence: &[Evidence]) -> String {
    let Some(first) = evidence.first() else { return String::new() };
    let mut common: &str = &first.path;
    for entry in evidence {
        while !(entry.path == common || (common.ends_with('/') && entry.path.starts_with(common))) {
            let trimmed = common.trim_end_matches('/');
            match trimmed.rfind('/') {
                Some(slash) => common = common.get(..=slash).unwrap_or_default(),
                None => return first.path.clone(),
            }
        }
    }
    common.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_beyond_the_cap_is_counted_where_it_is() {
        let pods = |n: usize| -> Vec<Evidence> {
            (0..n).map(|i| Evidence::at(format!("deployment/pods-{}.yaml", i % 4), Some(1)).found("Pod")).collect()
        };
        assert_eq!(cap_evidence(pods(21), "objects").len(), 21);
        let capped = cap_evidence(pods(20_010), "objects");
        assert_eq!(capped.len(), MAX_EVIDENCE + 1);
        assert_eq!(capped.last(), Some(&Evidence::at("deployment/", None).found("and 19,990 more objects")));
        let one_file: Vec<Evidence> = (0..30).map(|i| Evidence::at("deployment/pods.yaml", Some(i))).collect();
        assert_eq!(cap_evidence(one_file, "places").last().map(|e| e.path.as_str()), Some("deployment/pods.yaml"));
        let apart = [("x.yaml", 20), ("a.yaml", 5), ("b/c.yaml", 5)]
            .into_iter()
            .flat_map(|(path, n)| vec![Evidence::at(path, None); n])
            .collect();
        assert_eq!(cap_evidence(apart, "places").last().map(|e| e.path.as_str()), Some("a.yaml"));
    }
}
