//! The terminal report and the class table. Colour is plain ANSI codes
//! behind a `bool` (the CLI decides from the terminal and `NO_COLOR`), so the
//! crate needs no terminal library and still builds for wasm. Repository
//! text goes through [`visible`] so it cannot break lines or inject escapes.

use std::fmt::Write;

use m13_rules::{Finding, Report, RuleOf, Status};

use crate::{BatchItem, Tool, count_of, summary, visible};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

/// Width of the widest badge (`MANUAL`) plus one space: detail lines are
/// indented to line up under the rule id.
const INDENT: &str = "       ";

/// One report for a terminal: a header, the findings with failures first
/// (passes one line each), the cluster steps, the summary, and which
/// `tool` checked it.
pub fn to_text(report: &Report, label: &str, color: bool, tool: &Tool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let _ = writeln!(out, "{}", header(report, label, paint));
    out.push('\n');

    let findings = report.by_severity();
    let (problems, passes): (Vec<&Finding>, Vec<&Finding>) =
        findings.into_iter().partition(|f| f.status != Status::Pass);
    for finding in &problems {
        detail(&mut out, finding, paint);
        out.push('\n');
    }
    for finding in &passes {
        let _ = writeln!(out, "{} {}: {}", badge(finding.status, paint), finding.id, visible(&finding.message));
    }
    if !passes.is_empty() {
        out.push('\n');
    }

    if !report.steps.is_empty() {
        let _ = writeln!(out, "{}", paint.wrap(BOLD, "Cluster steps"));
        for step in &report.steps {
            let _ = writeln!(out, "{:>3}. {}", step.page_step, step.title);
            for command in &step.commands {
                let _ = writeln!(out, "{INDENT}{} {}", paint.wrap(DIM, "$"), visible(command));
            }
            for note in &step.notes {
                let _ = writeln!(out, "{INDENT}note: {}", visible(note));
            }
            let _ = writeln!(out, "{INDENT}look for: {}", visible(&step.look_for));
        }
        out.push('\n');
    }

    let verdict = if report.passed() { Status::Pass } else { Status::Fail };
    let _ = writeln!(out, "{} {}", badge(verdict, paint), summary(report));
    let _ = writeln!(out, "{}", paint.wrap(DIM, &format!("Checked by {tool}.")));
    out
}

/// A class at a glance: one row per source with its counts and the ids of
/// the rules it failed, then a totals line and which `tool` checked them.
pub fn batch_table(items: &[BatchItem], color: bool, tool: &Tool) -> String {
    let paint = Paint(color);
    let labels: Vec<String> = items.iter().map(|item| visible(item.label()).into_owned()).collect();
    let width = labels.iter().map(|l| l.chars().count()).chain([SOURCE.len()]).max().unwrap_or(SOURCE.len());

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.wrap(BOLD, &format!("{SOURCE:<width$}  RESULT  PASS  FAIL  WARN  MANUAL  FAILED RULES"))
    );
    let (mut passed, mut failed, mut unreadable) = (0, 0, 0);
    for (item, label) in items.iter().zip(&labels) {
        let pad = " ".repeat(width - label.chars().count());
        match item {
            BatchItem::Checked { report, .. } => {
                let counts = report.counts();
                let verdict = if report.passed() {
                    passed += 1;
                    Status::Pass
                } else {
                    failed += 1;
                    Status::Fail
                };
                let failed_rules: Vec<&str> =
                    report.results.iter().filter(|f| f.status == Status::Fail).map(|f| f.id.as_str()).collect();
                let row = format!(
                    "{label}{pad}  {}  {:>4}  {:>4}  {:>4}  {:>6}  {}",
                    badge(verdict, paint),
                    counts.pass,
                    counts.fail,
                    counts.warn,
                    counts.manual,
                    failed_rules.join(", ")
                );
                // A row with no failed rules would end in spaces.
                let _ = writeln!(out, "{}", row.trim_end());
            }
            BatchItem::Failed { error, .. } => {
                unreadable += 1;
                let _ = writeln!(
                    out,
                    "{label}{pad}  {}{:28}{}",
                    paint.wrap(RED, &format!("{:<6}", "ERROR")),
                    "",
                    visible(error)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "{}: {} passed, {} failed, {} could not be checked",
        count_of(items.len(), "source", "sources"),
        passed,
        failed,
        unreadable
    );
    let _ = writeln!(out, "{}", paint.wrap(DIM, &format!("Checked by {tool}.")));
    out
}

const SOURCE: &str = "SOURCE";
const RED: &str = "\x1b[1;31m";

/// `label: URL (source)`; the URL is left out when it is the label.
fn header(report: &Report, label: &str, paint: Paint) -> String {
    let origin = &report.origin;
    let url = match origin.posted_url.as_deref() {
        Some(url) if url == label => String::new(),
        Some(url) => format!(" {}", visible(url)),
        None => " (no release URL)".to_owned(),
    };
    format!("{}:{url} ({})", paint.wrap(BOLD, &visible(label)), visible(&origin.source.describe()))
}

/// A finding that is not a pass: badge, id and title, then the message,
/// the evidence and the fix, each on its own indented line.
fn detail(out: &mut String, finding: &Finding, paint: Paint) {
    let rule = finding.id.rule();
    let _ = writeln!(out, "{} {}: {}", badge(finding.status, paint), paint.wrap(BOLD, finding.id.as_str()), rule.title);
    let _ = writeln!(out, "{INDENT}{}", visible(&finding.message));
    for evidence in &finding.evidence {
        let mut line = visible(&evidence.location()).into_owned();
        if let Some(found) = &evidence.found {
            let _ = write!(line, "  found: {}", visible(found));
        }
        if let Some(expected) = &evidence.expected {
            let _ = write!(line, "  expected: {}", visible(expected));
        }
        let _ = writeln!(out, "{INDENT}{line}");
    }
    if let Some(fix) = &finding.fix {
        let _ = writeln!(out, "{INDENT}fix: {}", visible(fix));
    }
}

/// The status as a fixed-width word, coloured when asked.
fn badge(status: Status, paint: Paint) -> String {
    let (word, code) = match status {
        Status::Fail => ("FAIL", RED),
        Status::Warn => ("WARN", "\x1b[1;33m"),
        Status::Manual => ("MANUAL", "\x1b[1;36m"),
        Status::Pass => ("PASS", "\x1b[32m"),
    };
    paint.wrap(code, &format!("{word:<6}"))
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 { format!("{code}{text}{RESET}") } else { text.to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_have_one_width_with_and_without_colour() {
        for status in Status::ALL {
            assert_eq!(badge(status, Paint(false)).len(), 6);
            let painted = badge(status, Paint(true));
            assert!(painted.starts_with("\x1b[") && painted.ends_with(RESET));
        }
    }
}
