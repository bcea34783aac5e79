//! What changed since an earlier release ([`m13_rules::compare`]), in each
//! format: a block of the terminal report, a section of the review, and a
//! JSON object. Repository text (the earlier release's name, file paths)
//! is escaped as everywhere else.

use std::fmt::Write;

use m13_rules::RuleOf;
use m13_rules::compare::{Change, ChangedFile, Comparison, FileChange};
use serde_json::{Value, json};

use crate::markdown::{code_span, escape};
use crate::visible;

/// The order changes are listed in: what the reviewer asked for first.
const ORDER: [Change; 4] = [Change::Fixed, Change::Broken, Change::StillFailing, Change::Changed];

/// One line of counts: `2 fixed, 1 broken, 1 still failing`.
pub fn comparison_summary(comparison: &Comparison) -> String {
    let parts: Vec<String> = ORDER
        .iter()
        .map(|&change| (change, comparison.with(change).count()))
        .filter(|&(_, n)| n > 0)
        .map(|(change, n)| format!("{n} {}", change.heading().to_lowercase()))
        .collect();
    if parts.is_empty() { "no verdict changed".to_owned() } else { parts.join(", ") }
}

fn file_change(file: &ChangedFile) -> &'static str {
    match file.change {
        FileChange::Added => "added",
        FileChange::Removed => "removed",
        FileChange::Modified => "changed",
    }
}

/// The review's section: `### Since milestone-13.2`, a list per change,
/// then the files the rules read that changed.
pub fn comparison_to_markdown(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Since {}\n", code_span(&comparison.earlier));
    let _ = writeln!(out, "{}.\n", capitalised(&comparison_summary(comparison)));
    for change in ORDER {
        let rules: Vec<_> = comparison.with(change).collect();
        if rules.is_empty() {
            continue;
        }
        // `Fixed since milestone-13.2`: the line a job summary is read for.
        let _ = writeln!(out, "**{} since {}:**\n", change.heading(), code_span(&comparison.earlier));
        for rule in rules {
            let _ = writeln!(
                out,
                "- `{}` {} ({} → {})",
                rule.id,
                escape(rule.id.rule().title),
                rule.before.as_str(),
                rule.after.as_str()
            );
        }
        out.push('\n');
    }
    if comparison.files.is_empty() {
        out.push_str("None of the files the rules read changed.\n\n");
    } else {
        out.push_str("**Files the rules read that changed:**\n\n");
        for file in &comparison.files {
            let _ = writeln!(out, "- {} ({})", code_span(&file.path), file_change(file));
        }
        out.push('\n');
    }
    out
}

/// The terminal report's block, indented like the findings.
pub fn comparison_to_text(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Since {}: {}", visible(&comparison.earlier), comparison_summary(comparison));
    for change in ORDER {
        for rule in comparison.with(change) {
            let _ = writeln!(
                out,
                "  {:<14} {}: {} ({} -> {})",
                change.heading().to_lowercase(),
                rule.id,
                rule.id.rule().title,
                rule.before.as_str(),
                rule.after.as_str()
            );
        }
    }
    for file in &comparison.files {
        let _ = writeln!(out, "  {:<14} {}", format!("file {}", file_change(file)), visible(&file.path));
    }
    if comparison.files.is_empty() {
        out.push_str("  none of the files the rules read changed\n");
    }
    out
}

/// `{"earlier", "summary", "rules": [{id, before, after, change}], "files": [{path, change}]}`.
pub fn comparison_to_json(comparison: &Comparison) -> Value {
    json!({
        "earlier": comparison.earlier,
        "summary": comparison_summary(comparison),
        "rules": comparison.rules.iter().map(|r| json!({
            "id": r.id,
            "before": r.before,
            "after": r.after,
            "change": r.change,
        })).collect::<Vec<_>>(),
        "files": comparison.files.iter().map(|f| json!({ "path": f.path, "change": f.change })).collect::<Vec<_>>(),
    })
}

fn capitalised(text: &str) -> String {
    m13_rules::finding::capitalise(text)
}

#[cfg(test)]
mod tests {
    use m13_rules::Status;
    use m13_rules::compare::RuleChange;

    use super::*;

    fn sample() -> Comparison {
        let change = |id: &str, before, after| {
            let id = m13_rules::RuleId::from_id(id).ok_or("no such rule")?;
            Ok::<_, &str>(RuleChange { id, before, after, change: Change::of(before, after).ok_or("no change")? })
        };
        Comparison {
            earlier: "milestone-13.1<b>".into(),
            rules: [
                change("service-loadbalancer", Status::Fail, Status::Pass),
                change("health-check", Status::Pass, Status::Fail),
                change("secret-matches-values", Status::Fail, Status::Fail),
            ]
            .into_iter()
            .filter_map(Result::ok)
            .collect(),
            files: vec![ChangedFile { path: "deployment/service.yaml".into(), change: FileChange::Modified }],
        }
    }

    #[test]
    fn the_review_lists_fixed_broken_and_still_failing_with_the_files() {
        let comparison = sample();
        assert_eq!(comparison.rules.len(), 3);
        let markdown = comparison_to_markdown(&comparison);
        assert!(
            markdown.starts_with("### Since `milestone-13.1<b>`\n\n1 fixed, 1 broken, 1 still failing.\n"),
            "{markdown}"
        );
        assert!(markdown.contains("**Fixed since `milestone-13.1<b>`:**\n\n- `service-loadbalancer`"), "{markdown}");
        assert!(markdown.contains("(fail → pass)"), "{markdown}");
        assert!(markdown.contains("- `deployment/service.yaml` (changed)"), "{markdown}");
        let text = comparison_to_text(&comparison);
        assert!(text.starts_with("Since milestone-13.1<b>: 1 fixed, 1 broken, 1 still failing\n"), "{text}");
        assert!(text.contains("  file changed   deployment/service.yaml"), "{text}");
        let json = comparison_to_json(&comparison);
        assert_eq!(json["rules"][0]["change"], "fixed");
        assert_eq!(json["rules"][2]["change"], "still-failing");
        assert_eq!(json["files"][0]["change"], "modified");
    }
}
