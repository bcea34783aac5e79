//! The review a reviewer pastes into a GitHub comment for the reviewee.
//!
//! Most of what a report says comes from the student's repository: file
//! names, values, tags. GitHub renders the comment, so that text must not
//! become HTML, a link, an image, a table column or a new block. Every
//! string from a report goes through [`escape`] or [`code_span`] (rule
//! messages through `inline`, which uses both), and this module never
//! writes repository text any other way.

use std::fmt::Write;

use m13_rules::graph::NodeStatus;
use m13_rules::{Finding, Kind, Report, RuleId, RuleOf, Status};

use m13_rules::compare::Comparison;

use crate::class::{ClassRow, class_table_markdown};
use crate::compare::comparison_to_markdown;
use crate::mermaid::to_mermaid;
use crate::{BatchItem, Tool, count_of, summary, visible};

/// The review of one release; `label` is what the reviewer named the source,
/// `tool` the program that checked it (named on the last line).
pub fn to_markdown(report: &Report, label: &str, tool: &Tool) -> String {
    to_markdown_since(report, label, tool, None)
}

/// [`to_markdown`] with what changed since an earlier release, after the
/// requirements: a resubmission's reviewer reads that first.
pub fn to_markdown_since(report: &Report, label: &str, tool: &Tool, since: Option<&Comparison>) -> String {
    let mut out = String::new();
    let findings = report.by_severity();
    let of = |status: Status| findings.iter().copied().filter(move |f| f.status == status);

    title(&mut out, report);
    source(&mut out, report, label);
    overview(&mut out, report);
    requirement_table(&mut out, report);
    if let Some(comparison) = since {
        out.push_str(&comparison_to_markdown(comparison));
    }
    connections(&mut out, report);

    section(&mut out, "What to fix", of(Status::Fail), "**Fix:**");
    section(&mut out, "Warnings", of(Status::Warn), "**Fix:**");
    section(&mut out, "Check by hand", of(Status::Manual), "**What to do:**");

    cluster_steps(&mut out, report);
    let _ = writeln!(out, "---\n\n*Checked by {}.*", escape(&tool.to_string()));
    out
}

/// Several reviews in one document, for an instructor: a class table (each
/// release's result, counts and failed rules, and the sources that could
/// not be read, with why), then each review under a rule.
pub fn batch_to_markdown(items: &[BatchItem], tool: &Tool) -> String {
    let rows: Vec<ClassRow> = items.iter().map(ClassRow::of).collect();
    let mut out = class_table_markdown(&rows);
    for item in items {
        if let BatchItem::Checked { label, report } = item {
            out.push_str("\n---\n\n");
            out.push_str(&to_markdown(report, label, tool));
        }
    }
    out
}

/// Escapes text for Markdown (GitHub Flavored) so it reads as the same
/// text: no HTML, link, image, autolink, emphasis, table cell break or block
/// (heading, list, quote) can come out of it. Newlines and other control
/// characters are shown as `\n`, `\u{1b}`..., so the text stays on its line.
///
/// GitHub still turns `@name` and `#123` into mentions and issue links after
/// rendering; no Markdown escape prevents that.
pub fn escape(text: &str) -> String {
    let text = visible(text);
    let chars: Vec<char> = text.chars().collect();
    let start = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(chars.len());
    // Digits at the start followed by `.` or `)` would open an ordered list.
    let digits_end = start + chars.iter().skip(start).take_while(|c| c.is_ascii_digit()).count();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            // `http://` and `www.` would become links (GFM autolinks).
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3 && chars.get(i - 3..i).is_some_and(|w| w.iter().all(|c| c.eq_ignore_ascii_case(&'w'))) => {
                out.push_str("\\.")
            }
            // A list item or a setext underline when the text starts a line.
            '-' | '+' | '=' if i == start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if i == digits_end && digits_end > start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as an inline code span: shown verbatim, never interpreted. The
/// fence is longer than any run of backticks inside, and padded when the
/// text starts or ends with a backtick or a space. Newlines are shown as
/// `\n` (a code span cannot hold a line break safely).
///
/// Not for table cells: there GitHub splits on `|` even inside code spans;
/// the table writer escapes those.
pub fn code_span(text: &str) -> String {
    let text = visible(text);
    if text.is_empty() {
        return "` `".to_owned();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let all_spaces = text.chars().all(|c| c == ' ');
    let pad =
        text.starts_with('`') || text.ends_with('`') || (text.starts_with(' ') && text.ends_with(' ') && !all_spaces);
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{text}{space}{fence}")
}

/// A rule's message (or fix, note...): rule text in which repository text
/// sits in code spans. The spans are found as CommonMark finds them (a run
/// of backticks closes at the next run of the same length) and rebuilt with
/// [`code_span`]; the text between is escaped; a run that closes nothing is
/// literal. When repository text holds a backtick inside a single-backtick
/// span the split is off, but each part is still escaped or fenced, so the
/// result is always safe, only less pretty.
fn inline(text: &str) -> String {
    render_inline(text, false)
}

/// [`inline`] for a table cell: `|` is escaped inside code spans too.
fn cell(text: &str) -> String {
    render_inline(text, true)
}

fn render_inline(text: &str, in_table: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        out.push_str(&escape(&rest[..open]));
        let after_open = &rest[open..];
        let run = backtick_run(after_open);
        let inside = &after_open[run..];
        match closing_run(inside, run) {
            Some(close) => {
                let span = code_span(strip_one_space(&inside[..close]));
                out.push_str(&if in_table { span.replace('|', "\\|") } else { span });
                rest = &inside[close + run..];
            }
            None => {
                out.push_str(&"\\`".repeat(run));
                rest = inside;
            }
        }
    }
    out.push_str(&escape(rest));
    // A code span may start a line even when it has a long fence: a
    // backtick fence's info string cannot hold backticks, so the closing
    // fence on the same line keeps it from opening a code block.
    out
}

/// Length in bytes (backticks are ASCII) of the run of backticks `text` starts with.
fn backtick_run(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// Where the next run of exactly `len` backticks starts in `text`.
fn closing_run(text: &str, len: usize) -> Option<usize> {
    let mut offset = 0;
    while let Some(start) = text[offset..].find('`') {
        let at = offset + start;
        let run = backtick_run(&text[at..]);
        if run == len {
            return Some(at);
        }
        offset = at + run;
    }
    None
}

/// CommonMark drops one space on each side of a code span's content when
/// both are there (so `` ` `x` ` `` can hold backticks at its ends).
fn strip_one_space(content: &str) -> &str {
    match content.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
        Some(inner) if !content.chars().all(|c| c == ' ') => inner,
        _ => content,
    }
}

fn emoji(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Warn => "⚠️",
        Status::Manual => "🔍",
    }
}

fn title(out: &mut String, report: &Report) {
    let verdict = if report.passed() { "✅ ready for the cluster test" } else { "❌ changes needed" };
    let _ = writeln!(out, "## Milestone 13 review: {verdict}\n");
}

fn source(out: &mut String, report: &Report, label: &str) {
    let origin = &report.origin;
    let _ = write!(out, "**Source:** {}", escape(label));
    match origin.posted_url.as_deref() {
        Some(url) if url == label => {}
        Some(url) => {
            let _ = write!(out, " · **Release:** {}", code_span(url));
        }
        None => out.push_str(" · no release URL given"),
    }
    let _ = writeln!(out, " · read from {}\n", inline(&origin.source.describe()));
}

fn overview(out: &mut String, report: &Report) {
    let failed_requirements = count(report, Kind::Requirement, |s| s == Status::Fail);
    let failed_deeper = count(report, Kind::Deeper, |s| s == Status::Fail);
    let manual = report.counts().manual;
    let _ = write!(out, "{}. ", summary(report));
    if report.passed() {
        let _ = write!(
            out,
            "Every requirement the files can show is met: run the cluster steps below to finish the review."
        );
    } else {
        let mut parts = Vec::new();
        if failed_requirements > 0 {
            parts.push(format!("{} not met", count_of(failed_requirements, "requirement is", "requirements are")));
        }
        if failed_deeper > 0 {
            parts.push(format!(
                "{} would stop the test procedure",
                count_of(failed_deeper, "deeper problem", "deeper problems")
            ));
        }
        let _ = write!(
            out,
            "{}. Fix the items under *What to fix*, then publish a new `milestone-13.N` release and post its URL.",
            m13_rules::finding::capitalise(&parts.join(", and "))
        );
    }
    if manual > 0 {
        let _ = write!(
            out,
            " {} (see *Check by hand*).",
            count_of(manual, "item needs a person to look at it", "items need a person to look at them")
        );
    }
    out.push_str("\n\n");
}

fn requirement_table(out: &mut String, report: &Report) {
    out.push_str("### Requirements\n\n| | Rule | Requirement | Course page |\n|:-:|---|---|---|\n");
    for finding in report.results.iter().filter(|f| f.id.rule().kind == Kind::Requirement) {
        let rule = finding.id.rule();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            emoji(finding.status),
            cell(&format!("`{}`", finding.id)),
            cell(rule.title),
            cell(rule.source)
        );
    }
    let deeper = RuleId::ALL.iter().filter(|id| id.rule().kind == Kind::Deeper).count();
    let deeper_passed = count(report, Kind::Deeper, |s| s == Status::Pass);
    let rest = if deeper_passed == deeper { "" } else { "; the others are listed below" };
    let _ = writeln!(
        out,
        "\nDeeper checks (why a step of the test procedure would fail): {deeper_passed} of {deeper} passed{rest}.\n"
    );
}

/// The graph of how the pieces connect, as a Mermaid block GitHub draws,
/// with a sentence that says the same for readers that do not draw it.
/// The Mermaid writer escapes every label, so no backtick reaches the block.
fn connections(out: &mut String, report: &Report) {
    let graph = &report.graph;
    if graph.nodes.is_empty() {
        return;
    }
    out.push_str("### How the pieces connect\n\n");
    let broken = graph.broken_edges().count();
    let of = |status: NodeStatus| graph.nodes.iter().filter(|n| n.status == status).count();
    let mut parts = Vec::new();
    if broken > 0 {
        parts.push(format!(
            "{} of {} broken (dashed red arrows)",
            broken,
            count_of(graph.edges.len(), "link is", "links are")
        ));
    }
    for (status, singular, plural) in [
        (NodeStatus::Missing, "piece is missing (dashed red box)", "pieces are missing (dashed red boxes)"),
        (NodeStatus::Broken, "piece is wrong in itself (red box)", "pieces are wrong in themselves (red boxes)"),
        (
            NodeStatus::Leftover,
            "piece should be removed (dashed amber box)",
            "pieces should be removed (dashed amber boxes)",
        ),
    ] {
        let n = of(status);
        if n > 0 {
            parts.push(count_of(n, singular, plural));
        }
    }
    if parts.is_empty() {
        let _ =
            writeln!(out, "Every link between the Service, the Deployment, its configuration and Postgres holds.\n");
    } else {
        let _ = writeln!(out, "{}. Each is explained below.\n", m13_rules::finding::capitalise(&parts.join("; ")));
    }
    let diagram = to_mermaid(graph);
    let lines: Vec<String> = diagram.lines().map(str::to_owned).collect();
    let fence = code_fence(&lines);
    let _ = writeln!(out, "{fence}mermaid\n{diagram}{fence}\n");
}

/// One `###` section with a `####` entry per finding, or nothing when the
/// section would be empty.
fn section<'a>(out: &mut String, heading: &str, findings: impl Iterator<Item = &'a Finding>, fix_label: &str) {
    let mut findings = findings.peekable();
    if findings.peek().is_none() {
        return;
    }
    let _ = writeln!(out, "### {heading}\n");
    for finding in findings {
        let rule = finding.id.rule();
        let _ = writeln!(
            out,
            "#### {} {}: {}\n",
            emoji(finding.status),
            code_span(finding.id.as_str()),
            inline(rule.title)
        );
        // Leading spaces would turn the paragraph into an indented code block.
        let _ = writeln!(out, "{}\n", inline(finding.message.trim_start()));
        if !finding.evidence.is_empty() {
            for evidence in &finding.evidence {
                let mut line = format!("- {}", code_span(&evidence.location()));
                let mut parts = Vec::new();
                if let Some(found) = &evidence.found {
                    parts.push(format!("found {}", code_span(found)));
                }
                if let Some(expected) = &evidence.expected {
                    parts.push(format!("expected {}", code_span(expected)));
                }
                if !parts.is_empty() {
                    let _ = write!(line, ": {}", parts.join(", "));
                }
                let _ = writeln!(out, "{line}");
            }
            out.push('\n');
        }
        if let Some(fix) = &finding.fix {
            let _ = writeln!(out, "{fix_label} {}\n", inline(fix));
        }
    }
}

fn cluster_steps(out: &mut String, report: &Report) {
    if report.steps.is_empty() {
        return;
    }
    out.push_str("### Cluster steps\n\n");
    out.push_str("The test procedure of the course page with this release's names, run from the release's root.\n\n");
    for step in &report.steps {
        let _ = writeln!(out, "#### {}. {}\n", step.page_step, inline(&step.title));
        if !step.commands.is_empty() {
            // One command per line: `visible` keeps a name with a newline
            // from adding a command the reviewer did not see coming.
            let commands: Vec<String> = step.commands.iter().map(|c| visible(c).into_owned()).collect();
            let fence = code_fence(&commands);
            let _ = writeln!(out, "{fence}sh\n{}\n{fence}\n", commands.join("\n"));
        }
        for note in &step.notes {
            let _ = writeln!(out, "⚠️ {}\n", inline(note));
        }
        let _ = writeln!(out, "**Look for:** {}\n", inline(&step.look_for));
    }
}

/// A fence longer than any run of backticks in the block (at least three).
fn code_fence(lines: &[String]) -> String {
    let longest = lines.iter().flat_map(|l| l.split(|c| c != '`')).map(str::len).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

fn count(report: &Report, kind: Kind, status: impl Fn(Status) -> bool) -> usize {
    report.results.iter().filter(|f| f.id.rule().kind == kind && status(f.status)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters that start Markdown syntax and must only ever appear
    /// escaped (`\x`) or as an entity in escaped text.
    fn assert_inert(escaped: &str) {
        let chars: Vec<char> = escaped.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => i += 2, // an escape and the character it escapes
                c @ ('<' | '>' | '`' | '[' | ']' | '|' | '*' | '_' | '\n' | '\r') => {
                    panic!("unescaped {c:?} in {escaped:?}")
                }
                _ => i += 1,
            }
        }
    }

    #[test]
    fn escape_neutralises_html() {
        let out = escape("<script>alert(1)</script>");
        assert_eq!(out, "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_inert(&out);
        assert_eq!(escape("a &amp; b"), "a &amp;amp; b");
    }

    #[test]
    fn escape_neutralises_images_links_and_autolinks() {
        let out = escape("![x](http://evil)");
        assert_eq!(out, "!\\[x\\](http\\://evil)");
        assert_inert(&out);
        assert_eq!(escape("[click](javascript:alert(1))"), "\\[click\\](javascript:alert(1))");
        assert_eq!(escape("see www.evil.com"), "see www\\.evil.com");
        assert_eq!(escape("mail a@b.co"), "mail a\\@b.co");
    }

    #[test]
    fn escape_keeps_table_cells_whole() {
        let row = format!("| {} | {} |", escape("a | b"), escape("c|d\\|e"));
        // Only the row's own three pipes are unescaped.
        let unescaped = row.char_indices().filter(|&(i, c)| c == '|' && (i == 0 || !row[..i].ends_with('\\'))).count();
        assert_eq!(unescaped, 3, "{row}");
        assert_eq!(escape("c|d\\|e"), "c\\|d\\\\\\|e");
    }

    #[test]
    fn escape_keeps_text_on_one_line() {
        let out = escape("line one\n# heading\r\n- item");
        assert!(!out.contains('\n') && !out.contains('\r'), "{out}");
        assert_eq!(out, "line one\\\\n\\# heading\\\\r\\\\n- item");
    }

    #[test]
    fn escape_blocks_markers_at_the_start() {
        assert_eq!(escape("# title"), "\\# title");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("+ item"), "\\+ item");
        assert_eq!(escape("1. item"), "1\\. item");
        assert_eq!(escape("12) item"), "12\\) item");
        assert_eq!(escape("> quote"), "&gt; quote");
        assert_eq!(escape("==="), "\\===");
        // Not at the start: left alone, so file names stay readable.
        assert_eq!(escape("values-postgres.yaml 1. x"), "values-postgres.yaml 1. x");
    }

    #[test]
    fn escape_neutralises_emphasis_and_math() {
        assert_eq!(escape("*bold* _em_ ~~del~~ $x$"), "\\*bold\\* \\_em\\_ \\~\\~del\\~\\~ \\$x\\$");
    }

    #[test]
    fn code_span_holds_html_verbatim() {
        assert_eq!(code_span("<script>alert(1)</script>"), "`<script>alert(1)</script>`");
        assert_eq!(code_span("![x](http://evil)"), "`![x](http://evil)`");
    }

    #[test]
    fn code_span_fence_outgrows_backticks_inside() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("a``b`c"), "```a``b`c```");
        assert_eq!(code_span("`start"), "`` `start ``");
        assert_eq!(code_span("end`"), "`` end` ``");
        assert_eq!(code_span("`"), "`` ` ``");
    }

    #[test]
    fn code_span_keeps_spaces_and_lines() {
        assert_eq!(code_span(" padded "), "`  padded  `");
        assert_eq!(code_span("  "), "`  `");
        assert_eq!(code_span(""), "` `");
        assert_eq!(code_span("a\nb"), "`a\\nb`");
        assert_eq!(code_span("a\n```\nrm -rf /"), "````a\\n```\\nrm -rf /````");
    }

    #[test]
    fn inline_renders_rule_text_and_survives_hostile_values() {
        assert_eq!(inline("Set `cpu: 250m` now."), "Set `cpu: 250m` now.");
        // The rules put repository text between backticks; a backtick in
        // it shifts the split but nothing escapes.
        let out = inline("to `<script>alert(1)</script> `db` | ![x](http://evil)`; done");
        assert_eq!(out, "to `<script>alert(1)</script> `db` | ![x](http://evil)`; done");
        assert_eq!(inline("odd ` <b>"), "odd \\` &lt;b&gt;");
        assert_eq!(inline("``` x``` y"), "` x` y");
        assert_eq!(inline("a ``b`c`` d"), "a ``b`c`` d");
        assert_eq!(inline("`` `x` ``"), "`` `x` ``");
        assert_eq!(inline("``no close` <i>"), "\\`\\`no close\\` &lt;i&gt;");
    }

    #[test]
    fn table_cells_escape_pipes_in_code_spans() {
        assert_eq!(cell("a | `b|c`"), "a \\| `b\\|c`");
    }
}
