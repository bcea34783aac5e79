//! Writers over a [`m13_rules::Report`]: one module per format, like
//! ripgrep's printers and kube-score's renderers, so the CLI and the web app
//! print the same thing from the same code.
//!
//! * [`text`]: the terminal report and the class table (ANSI colour behind a
//!   `bool`, no terminal crate);
//! * [`json`]: the stable machine form;
//! * [`markdown`]: the review a reviewer pastes into a GitHub comment, with
//!   every piece of repository text escaped, and the graph drawn by
//!   [`mermaid`];
//! * [`mermaid`]: how the release's pieces connect, as a Mermaid flowchart
//!   (broken links dashed and red);
//! * [`sarif`]: SARIF 2.1.0 for code-scanning tools;
//! * [`class`]: the class table (one row per release), in Markdown and CSV;
//! * [`compare`]: what changed since an earlier release, for the text, the
//!   review and JSON.
//!
//! Nothing here does I/O: every writer returns a `String` or a
//! `serde_json::Value`, so the crate builds for `wasm32-unknown-unknown`.
//! Which program wrote a report is the caller's to say, as a [`Tool`]: the
//! CLI knows the commit it was built from, the web app its own build.

pub mod class;
pub mod compare;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod sarif;
pub mod text;

pub use class::{ClassOutcome, ClassRow, class_table_csv, class_table_markdown};
pub use compare::{comparison_summary, comparison_to_json, comparison_to_markdown, comparison_to_text};
pub use json::{batch_to_json, to_json};
pub use markdown::{batch_to_markdown, code_span, escape, to_markdown, to_markdown_since};
pub use mermaid::to_mermaid;
pub use sarif::to_sarif;
pub use text::{batch_table, to_text};

use std::fmt;

use m13_rules::Report;

/// The program that wrote a report, named in every output (the JSON's
/// `tool`, SARIF's `tool.driver`, the review's last line) so a result can
/// be traced to the version that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    /// `milestone-check`.
    pub name: String,
    /// The release version, `0.2.0`.
    pub version: String,
    /// The commit it was built from, when the build knew it.
    pub commit: Option<String>,
}

impl Tool {
    pub fn new(name: &str, version: &str) -> Tool {
        Tool { name: name.to_owned(), version: version.to_owned(), commit: None }
    }

    /// This tool as built from `commit`; `unknown` (a build outside a git
    /// checkout) is no commit.
    pub fn with_commit(mut self, commit: &str) -> Tool {
        let commit = commit.trim();
        self.commit = (!commit.is_empty() && commit != "unknown").then(|| commit.to_owned());
        self
    }
}

/// `milestone-check` at this crate's version (every crate of the project
/// shares one), commit unknown: for a caller that has not said more.
impl Default for Tool {
    fn default() -> Tool {
        Tool::new("milestone-check", env!("CARGO_PKG_VERSION"))
    }
}

/// `milestone-check 0.2.0 (1a2b3c4d5e6f)`, or without the commit when it is
/// not known.
impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)?;
        match &self.commit {
            Some(commit) => write!(f, " ({commit})"),
            None => Ok(()),
        }
    }
}

/// One source of a class batch: checked, or not readable at all (a broken
/// zip, a 404). Failed sources stay in the output so the instructor sees
/// every student, not only the ones that could be checked.
#[derive(Debug, Clone, Copy)]
pub enum BatchItem<'a> {
    Checked { label: &'a str, report: &'a Report },
    Failed { label: &'a str, error: &'a str },
}

impl<'a> BatchItem<'a> {
    /// The name the user gave the source (a URL, a file name).
    pub fn label(&self) -> &'a str {
        match self {
            BatchItem::Checked { label, .. } | BatchItem::Failed { label, .. } => label,
        }
    }
}

/// Makes invisible characters visible: control characters (newlines, ANSI
/// escapes) and the bidirectional overrides of "Trojan Source". Repository
/// text passes through here before any writer lays it out, so a value can
/// neither start a new line of output nor repaint the terminal.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `n` followed by the singular or the plural of a noun.
pub(crate) fn count_of(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The summary every writer shows, e.g. `13 passed, 2 failed, 1 warning,
/// 1 manual`: one wording so the terminal and the review agree.
pub(crate) fn summary(report: &Report) -> String {
    let counts = report.counts();
    format!(
        "{} passed, {} failed, {}, {} manual",
        counts.pass,
        counts.fail,
        count_of(counts.warn, "warning", "warnings"),
        counts.manual
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_control_and_bidi_characters() {
        assert_eq!(visible("plain"), "plain");
        assert_eq!(visible("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(visible("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(visible("abc\u{202e}def"), "abc\\u{202e}def");
    }

    #[test]
    fn a_tool_names_its_commit_when_known() {
        let tool = Tool::new("milestone-check", "0.2.0");
        assert_eq!(tool.to_string(), "milestone-check 0.2.0");
        assert_eq!(tool.clone().with_commit("unknown").to_string(), "milestone-check 0.2.0");
        assert_eq!(tool.with_commit("1a2b3c4d5e6f").to_string(), "milestone-check 0.2.0 (1a2b3c4d5e6f)");
    }

    #[test]
    fn count_of_pluralises() {
        assert_eq!(count_of(0, "warning", "warnings"), "0 warnings");
        assert_eq!(count_of(1, "warning", "warnings"), "1 warning");
        assert_eq!(count_of(2, "warning", "warnings"), "2 warnings");
    }
}
