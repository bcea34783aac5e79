//! What a rule says about a release: a status, a message, evidence and a fix.

use serde::{Deserialize, Serialize};

use crate::rule_id::RuleId;

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

/// What a rule's `check` returns; the engine (`m13_rules::check`) adds the
/// rule id and, for a failure without a specific fix, the rule's
/// remediation, and keeps the first [`crate::shown::MAX_EVIDENCE`] entries
/// of evidence plus a count of the rest.
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

/// How many findings of each status a report has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub manual: usize,
}

impl Counts {
    /// How many of `findings` have each status.
    pub fn tally(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            match finding.status {
                Status::Pass => counts.pass += 1,
                Status::Fail => counts.fail += 1,
                Status::Warn => counts.warn += 1,
                Status::Manual => counts.manual += 1,
            }
        }
        counts
    }

    pub fn of(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Warn => self.warn,
            Status::Manual => self.manual,
        }
    }
}
