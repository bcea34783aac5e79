//! The class table: one row per release with its result, its counts and
//! the rules it failed, in the same columns wherever it is written (the
//! CLI's Markdown batch, the web app's class view and its CSV and Markdown
//! exports), so an instructor's spreadsheet does not care which one made it.
//!
//! A row holds only what the table shows, so the web app's class view,
//! which gets findings rather than whole reports from its checker, builds
//! rows without the rules.

use std::fmt::Write;

use m13_rules::{Counts, Finding, RuleId, Status};

use crate::{BatchItem, count_of, escape};

/// The table's columns, in order.
pub const COLUMNS: [&str; 7] = ["Release", "Result", "Pass", "Fail", "Warn", "Manual", "Failed rules"];

/// One release of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRow {
    /// What the instructor named it: a student's name, a URL, a file name.
    pub label: String,
    pub outcome: ClassOutcome,
    /// The files came from the jsDelivr mirror (GitHub's hourly limit was
    /// kept for other releases), so `release-tag` was left to a person.
    pub mirrored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassOutcome {
    Checked {
        counts: Counts,
        failed: Vec<RuleId>,
    },
    /// The release could not be read (a 404, a broken zip): why.
    NotChecked {
        error: String,
    },
}

impl ClassRow {
    /// A checked release's row, from its findings.
    pub fn checked(label: &str, findings: &[Finding]) -> ClassRow {
        let failed = findings.iter().filter(|f| f.status == Status::Fail).map(|f| f.id).collect();
        ClassRow {
            label: label.to_owned(),
            outcome: ClassOutcome::Checked { counts: Counts::tally(findings), failed },
            mirrored: false,
        }
    }

    /// A release that could not be read.
    pub fn not_checked(label: &str, error: &str) -> ClassRow {
        ClassRow {
            label: label.to_owned(),
            outcome: ClassOutcome::NotChecked { error: error.to_owned() },
            mirrored: false,
        }
    }

    /// The row of one source of a CLI batch.
    pub fn of(item: &BatchItem<'_>) -> ClassRow {
        match item {
            BatchItem::Checked { label, report } => ClassRow::checked(label, &report.results),
            BatchItem::Failed { label, error } => ClassRow::not_checked(label, error),
        }
    }

    /// Checked, with no rule failed.
    pub fn is_ready(&self) -> bool {
        matches!(&self.outcome, ClassOutcome::Checked { failed, .. } if failed.is_empty())
    }

    fn failed_ids(&self) -> Vec<&'static str> {
        match &self.outcome {
            ClassOutcome::Checked { failed, .. } => failed.iter().map(|id| id.as_str()).collect(),
            ClassOutcome::NotChecked { .. } => Vec::new(),
        }
    }
}

/// The class as Markdown: a heading, how many are ready, and the table
/// (every label escaped); a note names the rows whose files came from the
/// mirror.
pub fn class_table_markdown(rows: &[ClassRow]) -> String {
    let mut out = String::new();
    let checked = rows.iter().filter(|r| matches!(r.outcome, ClassOutcome::Checked { .. })).count();
    let ready = rows.iter().filter(|r| r.is_ready()).count();
    let _ = writeln!(out, "## Milestone 13: {}\n", count_of(rows.len(), "release", "releases"));
    let _ = writeln!(
        out,
        "{ready} ready for the cluster test, {} with changes needed, {} could not be checked.\n",
        checked - ready,
        rows.len() - checked
    );
    let _ = writeln!(out, "| {} |\n|---|---|--:|--:|--:|--:|---|", COLUMNS.join(" | "));
    for row in rows {
        let label = escape(&row.label);
        let _ = match &row.outcome {
            ClassOutcome::Checked { counts, .. } => {
                let verdict = if row.is_ready() { "✅ ready" } else { "❌ changes needed" };
                let failed: Vec<String> = row.failed_ids().iter().map(|id| format!("`{id}`")).collect();
                writeln!(
                    out,
                    "| {label} | {verdict} | {} | {} | {} | {} | {} |",
                    counts.pass,
                    counts.fail,
                    counts.warn,
                    counts.manual,
                    failed.join(", ")
                )
            }
            ClassOutcome::NotChecked { error } => {
                writeln!(out, "| {label} | ⚠️ not checked | | | | | {} |", escape(error))
            }
        };
    }
    let mirrored: Vec<String> = rows.iter().filter(|r| r.mirrored).map(|r| escape(&r.label)).collect();
    if !mirrored.is_empty() {
        let _ = writeln!(
            out,
            "\nFiles from the jsDelivr mirror (GitHub's hourly limit was kept for the others), so `release-tag` needs a look by hand: {}.",
            mirrored.join(", ")
        );
    }
    out
}

/// The class as CSV (RFC 4180: a header line, CRLF line ends, fields with
/// a comma, quote or line break quoted), the verdict in words; a ready row
/// whose files came from the mirror says so, since its tag went unproven. A field a
/// spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) is
/// prefixed with `'`, so a student's repository text cannot run in it.
pub fn class_table_csv(rows: &[ClassRow]) -> String {
    let mut out = String::new();
    push_record(&mut out, COLUMNS.iter().map(|c| (*c).to_owned()));
    for row in rows {
        let fields = match &row.outcome {
            ClassOutcome::Checked { counts, .. } => {
                let verdict = match (row.is_ready(), row.mirrored) {
                    (true, false) => "ready",
                    (true, true) => "ready (mirror: release-tag by hand)",
                    (false, _) => "changes needed",
                };
                vec![
                    row.label.clone(),
                    verdict.to_owned(),
                    counts.pass.to_string(),
                    counts.fail.to_string(),
                    counts.warn.to_string(),
                    counts.manual.to_string(),
                    row.failed_ids().join(" "),
                ]
            }
            ClassOutcome::NotChecked { error } => {
                let mut fields = vec![row.label.clone(), "not checked".to_owned()];
                fields.extend(std::iter::repeat_n(String::new(), 4));
                fields.push(error.clone());
                fields
            }
        };
        push_record(&mut out, fields.into_iter());
    }
    out
}

fn push_record(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| csv_field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<ClassRow> {
        let ready = ClassRow {
            label: "Ana Lopez".into(),
            outcome: ClassOutcome::Checked { counts: Counts { pass: 25, fail: 0, warn: 0, manual: 1 }, failed: vec![] },
            mirrored: false,
        };
        let failing = ClassRow {
            label: "Lopez, \"Sam\"".into(),
            outcome: ClassOutcome::Checked {
                counts: Counts { pass: 23, fail: 2, warn: 1, manual: 0 },
                failed: vec![RuleId::PodRemoved, RuleId::CpuRequestRange],
            },
            mirrored: true,
        };
        let unread = ClassRow::not_checked("=HYPERLINK(\"x\")", "GitHub answered 404");
        vec![ready, failing, unread]
    }

    #[test]
    fn markdown_has_the_cli_columns_and_escapes_labels() {
        let markdown = class_table_markdown(&rows());
        assert!(markdown.starts_with("## Milestone 13: 3 releases\n\n1 ready for the cluster test, 1 with changes needed, 1 could not be checked.\n"));
        assert!(markdown.contains(
            "| Release | Result | Pass | Fail | Warn | Manual | Failed rules |\n|---|---|--:|--:|--:|--:|---|\n"
        ));
        assert!(markdown.contains("| Ana Lopez | ✅ ready | 25 | 0 | 0 | 1 |  |\n"));
        assert!(markdown.contains("| ❌ changes needed | 23 | 2 | 1 | 0 | `pod-removed`, `cpu-request-range` |"));
        assert!(markdown.contains("| ⚠️ not checked | | | | | GitHub answered 404 |"));
        assert!(markdown.contains("jsDelivr mirror"), "{markdown}");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let csv = class_table_csv(&rows());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "Release,Result,Pass,Fail,Warn,Manual,Failed rules");
        assert_eq!(lines[1], "Ana Lopez,ready,25,0,0,1,");
        assert_eq!(lines[2], "\"Lopez, \"\"Sam\"\"\",changes needed,23,2,1,0,pod-removed cpu-request-range");
        let mut mirrored = rows()[0].clone();
        mirrored.mirrored = true;
        assert!(class_table_csv(&[mirrored]).contains(",ready (mirror: release-tag by hand),"));
        assert_eq!(lines[3], "\"'=HYPERLINK(\"\"x\"\")\",not checked,,,,,GitHub answered 404");
        assert_eq!(lines[4], "");
    }

    #[test]
    fn no_mirror_no_note() {
        let mut rows = rows();
        rows.iter_mut().for_each(|r| r.mirrored = false);
        assert!(!class_table_markdown(&rows).contains("mirror"));
    }
}
