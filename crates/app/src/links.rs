//! Links to GitHub: from evidence to the file (`path:line` in a report
//! becomes `https://github.com/O/R/blob/TAG/PATH#LLINE`), and the review as
//! a new issue on the reviewee's repository (`/issues/new?title=…&body=…`,
//! GitHub's query parameters for a prefilled issue), within a URL length.

use m13_rules::Evidence;
use serde::{Deserialize, Serialize};

/// Where a release's files live on github.com.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobBase {
    pub owner: String,
    pub repo: String,
    pub tag: String,
}

impl BlobBase {
    /// The link for one piece of evidence, or `None` when its path is not a
    /// file of the release (the posted URL of `release-tag`).
    pub fn link(&self, evidence: &Evidence) -> Option<String> {
        let path = evidence.path.as_str();
        if path.is_empty() || path.contains("://") || path.starts_with('/') {
            return None;
        }
        let anchor = evidence.line.map(|l| format!("#L{l}")).unwrap_or_default();
        Some(format!(
            "https://github.com/{}/{}/blob/{}/{}{anchor}",
            encode_segment(&self.owner),
            encode_segment(&self.repo),
            encode_path(&self.tag),
            encode_path(path)
        ))
    }
}

/// The longest issue link offered: GitHub (and the browsers between) stop
/// reading a URL around 8 KB, so a longer one would open a blank issue.
pub const MAX_ISSUE_URL: usize = 8_192;

/// How many evidence lines a finding keeps in a shortened issue body.
const EVIDENCE_KEPT: usize = 3;

/// A prefilled "new issue" link on the reviewee's repository, as the
/// checker builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueLink {
    pub url: String,
    /// `owner/repo`, as the link's label names it.
    pub repository: String,
    /// The title, as GitHub will show it.
    pub title: String,
    /// The body, as GitHub will show it (the review, shortened or not).
    pub body: String,
    /// `Some(what was left out)` when the review did not fit whole.
    pub shortened: Option<String>,
    /// The link's text and the note under it, written here in the checker
    /// so the page's first load carries neither sentence.
    pub label: String,
    pub note: Option<String>,
}

/// What the page draws of an [`IssueLink`]: the link, its text and the
/// note. Only this crosses to the page (its decoder is part of the first
/// load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueButton {
    pub url: String,
    pub label: String,
    pub note: Option<String>,
}

impl IssueLink {
    pub fn button(&self) -> IssueButton {
        IssueButton { url: self.url.clone(), label: self.label.clone(), note: self.note.clone() }
    }
}

/// The repository (and tag) a check's review can be posted on: the
/// release's, or the one the sample pretends it came from; `None` for a zip
/// with no URL.
pub fn issue_repository(checked: &crate::state::Checked) -> Option<BlobBase> {
    if let Some(base) = &checked.blob_base {
        return Some(base.clone());
    }
    (checked.steps_key == crate::cache::steps_key("sample")).then(|| BlobBase {
        owner: crate::sample::OWNER.to_owned(),
        repo: crate::sample::REPO.to_owned(),
        tag: crate::sample::TAG.to_owned(),
    })
}

/// The review `markdown` as a new issue on `owner/repo`, titled after its
/// verdict and `tag`; shortened until the whole link fits in
/// [`MAX_ISSUE_URL`]: first the passes, then the picture and the cluster
/// steps, then the evidence beyond each finding's first lines, then the
/// details of warnings and items to check by hand, then those of the
/// failures. Every failing rule keeps its heading (id and title), and the
/// body says what was left out.
pub fn issue_link(owner: &str, repo: &str, tag: Option<&str>, markdown: &str) -> IssueLink {
    let verdict = markdown.lines().next().and_then(|l| l.strip_prefix("## ")).unwrap_or("Milestone 13 review");
    let title = match tag {
        Some(tag) => format!("{verdict} ({tag})"),
        None => verdict.to_owned(),
    };
    let build = |body: String, shortened: Option<String>| {
        let url = format!(
            "https://github.com/{}/{}/issues/new?title={}&body={}",
            encode_segment(owner),
            encode_segment(repo),
            encode_query_component(&title),
            encode_query_component(&body)
        );
        let note = shortened.as_ref().map(|left_out| {
            format!("The issue holds a shortened review, to fit in a link (left out: {left_out}); copy the whole review to paste it as a comment.")
        });
        let label = format!("Open an issue on {owner}/{repo}");
        IssueLink { url, repository: format!("{owner}/{repo}"), title: title.clone(), body, shortened, label, note }
    };
    let whole = build(markdown.to_owned(), None);
    if whole.url.len() <= MAX_ISSUE_URL {
        return whole;
    }
    let review = Review::parse(markdown);
    let mut last = whole;
    for level in Cut::ALL {
        let (body, left_out) = review.shortened(level);
        last = build(body, Some(left_out));
        if last.url.len() <= MAX_ISSUE_URL {
            return last;
        }
    }
    // Only a review of thousands of failing headings gets here: cut the body
    // at a character so the link still fits, and say so at its end.
    let end = "\n\n*The rest did not fit in an issue link: copy the whole review from the checker.*";
    let mut body = last.body.clone();
    while !body.is_empty() && build(format!("{body}{end}"), None).url.len() > MAX_ISSUE_URL {
        let cut = body.len().saturating_sub(body.len() / 8 + 1);
        let mut at = cut;
        while at > 0 && !body.is_char_boundary(at) {
            at -= 1;
        }
        body.truncate(at);
    }
    build(format!("{body}{end}"), last.shortened)
}

/// How far a body is cut, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cut {
    Passes,
    PictureAndSteps,
    Evidence,
    OtherDetails,
    FailureDetails,
}

impl Cut {
    const ALL: [Cut; 5] = [Cut::Passes, Cut::PictureAndSteps, Cut::Evidence, Cut::OtherDetails, Cut::FailureDetails];

    fn says(self) -> &'static str {
        match self {
            Cut::Passes => "the rules that passed",
            Cut::PictureAndSteps => "the picture of how the pieces connect and the cluster steps",
            Cut::Evidence => "the evidence beyond each finding's first lines",
            Cut::OtherDetails => "the details of the warnings and of what to check by hand",
            Cut::FailureDetails => "the details of each failure (its heading names the rule)",
        }
    }
}

/// The review as the Markdown writer lays it out: the lines before the
/// first `###` section, the sections, and the closing `---` line on.
struct Review<'a> {
    head: Vec<&'a str>,
    sections: Vec<Vec<&'a str>>,
    foot: Vec<&'a str>,
}

impl<'a> Review<'a> {
    fn parse(markdown: &'a str) -> Review<'a> {
        let mut lines: Vec<&str> = markdown.lines().collect();
        let foot = match lines.iter().rposition(|l| *l == "---") {
            Some(at) => lines.split_off(at),
            None => Vec::new(),
        };
        let mut head = Vec::new();
        let mut sections: Vec<Vec<&str>> = Vec::new();
        for line in lines {
            if line.starts_with("### ") {
                sections.push(vec![line]);
            } else if let Some(section) = sections.last_mut() {
                section.push(line);
            } else {
                head.push(line);
            }
        }
        Review { head, sections, foot }
    }

    /// The body cut up to `level`, and what it says was left out.
    fn shortened(&self, level: Cut) -> (String, String) {
        let left_out: Vec<&str> = Cut::ALL.iter().filter(|c| **c <= level).map(|c| c.says()).collect();
        let left_out = left_out.join("; ");
        let mut out: Vec<String> = Vec::new();
        let mut head = self.head.iter();
        if let Some(first) = head.next() {
            out.push((*first).to_owned());
            out.push(String::new());
            out.push(format!(
                "*Shortened to fit in a link (left out: {left_out}). The checker's \"Copy the review\" has it whole.*"
            ));
        }
        out.extend(head.map(|l| (*l).to_owned()));
        for section in &self.sections {
            let heading = section.first().copied().unwrap_or_default();
            match heading {
                "### How the pieces connect" | "### Cluster steps" if level >= Cut::PictureAndSteps => continue,
                "### Requirements" => out.extend(requirements(section)),
                "### What to fix" => out.extend(findings(section, level, level >= Cut::FailureDetails)),
                "### Warnings" | "### Check by hand" => {
                    out.extend(findings(section, level, level >= Cut::OtherDetails))
                }
                _ => out.extend(section.iter().map(|l| (*l).to_owned())),
            }
        }
        out.extend(self.foot.iter().map(|l| (*l).to_owned()));
        let mut body = out.join("\n");
        body.push('\n');
        (body, left_out)
    }
}

/// The requirements table without its passing rows.
fn requirements(section: &[&str]) -> Vec<String> {
    let passed = section.iter().filter(|l| l.starts_with("| ✅ |")).count();
    let mut out: Vec<String> = Vec::new();
    for line in section {
        if line.starts_with("| ✅ |") {
            continue;
        }
        if line.starts_with("Deeper checks") {
            out.push(format!("{passed} requirements passed (not listed). {line}"));
        } else {
            out.push((*line).to_owned());
        }
    }
    if section.iter().all(|l| !l.starts_with("| ") || l.starts_with("| ✅ |") || l.starts_with("| |")) {
        // Every requirement passed: the table's header alone says nothing.
        out.retain(|l| !l.starts_with('|'));
    }
    out
}

/// A findings section: each `####` heading kept; its evidence cut to its
/// first lines, or everything under it dropped when `headings_only`.
fn findings(section: &[&str], level: Cut, headings_only: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut evidence = 0;
    let mut dropped = 0;
    let flush = |out: &mut Vec<String>, dropped: &mut usize| {
        if *dropped > 0 {
            out.push(format!("- … and {} more", *dropped));
            *dropped = 0;
        }
    };
    for line in section {
        if line.starts_with("#### ") || line.starts_with("### ") {
            flush(&mut out, &mut dropped);
            evidence = 0;
            if headings_only && line.starts_with("#### ") && out.last().is_some_and(|l: &String| !l.is_empty()) {
                out.push(String::new());
            }
            out.push((*line).to_owned());
            if !headings_only {
                continue;
            }
            out.push(String::new());
            continue;
        }
        if headings_only {
            continue;
        }
        if line.starts_with("- ") {
            evidence += 1;
            if level >= Cut::Evidence && evidence > EVIDENCE_KEPT {
                dropped += 1;
                continue;
            }
        } else {
            flush(&mut out, &mut dropped);
        }
        out.push((*line).to_owned());
    }
    flush(&mut out, &mut dropped);
    if headings_only {
        out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    }
    out
}

// One encoder for the CLI, the writers and the web app (`percent-encoding`,
// with a set per use).
pub use m13_rules::url::{encode_path, encode_query_component, encode_segment};

#[cfg(test)]
mod tests {
    use m13_rules::RuleOf;

    use super::*;

    fn base() -> BlobBase {
        BlobBase { owner: "ana".into(), repo: "cis-92".into(), tag: "milestone-13.1".into() }
    }

    fn decoded_query(url: &str, key: &str) -> String {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let value = query.split('&').find_map(|p| p.strip_prefix(&format!("{key}="))).unwrap_or_default();
        m13_rules::url::percent_decode(value)
    }

    fn failing_headings(report: &m13_rules::Report) -> Vec<String> {
        report
            .results
            .iter()
            .filter(|f| f.status == m13_rules::Status::Fail)
            .map(|f| format!("`{}`: {}", f.id.as_str(), f.id.rule().title))
            .collect()
    }

    #[test]
    fn a_short_review_is_the_whole_body() {
        let markdown = "## Milestone 13 review: ✅ ready for the cluster test\n\nAll good & done?\n";
        let link = issue_link("ana", "cis-92", Some("milestone-13.1"), markdown);
        assert_eq!(link.shortened, None);
        assert!(link.url.starts_with("https://github.com/ana/cis-92/issues/new?title=Milestone%2013%20review"));
        assert_eq!(
            decoded_query(&link.url, "title"),
            "Milestone 13 review: ✅ ready for the cluster test (milestone-13.1)"
        );
        assert_eq!(decoded_query(&link.url, "body"), markdown);
    }

    #[test]
    fn the_sample_fits_naming_every_failure() {
        let report = crate::sample::report();
        let markdown = m13_report::to_markdown(&report, "sample", &m13_report::Tool::default());
        let link = issue_link(crate::sample::OWNER, crate::sample::REPO, Some(crate::sample::TAG), &markdown);
        assert!(link.url.len() <= MAX_ISSUE_URL, "{}", link.url.len());
        assert!(link.url.starts_with("https://github.com/sam-rivera/cis-92/issues/new?title="));
        let body = decoded_query(&link.url, "body");
        assert_eq!(body, link.body);
        let headings = failing_headings(&report);
        assert!(!headings.is_empty());
        for heading in headings {
            assert!(body.contains(&heading), "{heading} missing from {body}");
        }
        if link.shortened.is_some() {
            assert!(body.contains("Shortened to fit in a link"));
            assert!(!body.contains("| ✅ |"), "the passes go first");
        }
    }

    #[test]
    fn a_long_review_is_shortened_in_order() {
        let mut report = crate::sample::report();
        for finding in report.results.iter_mut().filter(|f| f.status == m13_rules::Status::Fail) {
            for i in 0..60 {
                let mut evidence = Evidence::at(format!("deployment/file-{i}.yaml"), Some(i + 1));
                evidence.found = Some("x".repeat(40));
                finding.evidence.push(evidence);
            }
        }
        let markdown = m13_report::to_markdown(&report, "sample", &m13_report::Tool::default());
        let link = issue_link("ana", "cis-92", None, &markdown);
        assert!(link.url.len() <= MAX_ISSUE_URL, "{}", link.url.len());
        let left_out = link.shortened.clone().unwrap_or_default();
        assert!(left_out.starts_with("the rules that passed; the picture"), "{left_out}");
        assert!(left_out.contains("the evidence beyond"), "{left_out}");
        let body = decoded_query(&link.url, "body");
        assert!(body.contains(&format!("(left out: {left_out})")));
        assert!(body.contains("- … and "), "evidence beyond the first lines is counted");
        assert!(!body.contains("```mermaid"));
        for heading in failing_headings(&report) {
            assert!(body.contains(&heading), "{heading} missing");
        }
        assert!(body.ends_with(&format!("{}\n", markdown.lines().last().unwrap_or_default())));
    }

    #[test]
    fn the_sample_and_a_release_know_their_repository_and_a_bare_zip_does_not() {
        let report = crate::sample::report();
        let sample = crate::checker::run::checked(report.clone(), "sample".into(), "sample");
        assert_eq!(issue_repository(&sample).map(|b| b.owner), Some("sam-rivera".to_owned()));
        let mut zip = crate::checker::run::checked(report, "r.zip".into(), "zip:r.zip");
        assert_eq!(issue_repository(&zip), None);
        zip.blob_base = Some(base());
        assert_eq!(issue_repository(&zip), Some(base()));
    }

    #[test]
    fn a_review_of_nothing_but_failures_still_fits() {
        let mut markdown = String::from("## Milestone 13 review: ❌ changes needed\n\n### What to fix\n\n");
        for i in 0..2_000 {
            markdown.push_str(&format!("#### ❌ `rule-{i}`: A title\n\nA message.\n\n"));
        }
        let link = issue_link("ana", "cis-92", None, &markdown);
        assert!(link.url.len() <= MAX_ISSUE_URL);
        assert!(decoded_query(&link.url, "body").ends_with("copy the whole review from the checker.*"));
    }

    #[test]
    fn links_a_path_and_line() {
        let evidence = Evidence::at("deployment/deployment.yaml", Some(21));
        assert_eq!(
            base().link(&evidence).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/deployment/deployment.yaml#L21")
        );
        assert_eq!(
            base().link(&Evidence::at("values-postgres.yaml", None)).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/values-postgres.yaml")
        );
    }

    #[test]
    fn encodes_what_would_break_the_url() {
        let evidence = Evidence::at("my dir/a#b?.yaml", Some(1));
        assert_eq!(
            base().link(&evidence).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/my%20dir/a%23b%3F.yaml#L1")
        );
    }

    #[test]
    fn a_query_value_keeps_what_would_end_it_and_non_ascii() {
        let markdown = "## Review: ✅ 100% & more\n\nüber `a=b+c` #1 %+a\n";
        let link = issue_link("ana", "cis-92", None, markdown);
        let query = link.url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        assert_eq!(query.matches('&').count(), 1, "{query}");
        assert!(!query.contains(['#', '+', ' ']), "{query}");
        assert_eq!(decoded_query(&link.url, "title"), "Review: ✅ 100% & more");
        assert!(decoded_query(&link.url, "body").starts_with(markdown));
        assert_eq!(
            base().link(&Evidence::at("déploiement/%+a.yaml", Some(2))).as_deref(),
            Some("https://github.com/ana/cis-92/blob/milestone-13.1/d%C3%A9ploiement/%25%2Ba.yaml#L2")
        );
    }

    #[test]
    fn the_posted_url_is_not_linked() {
        assert_eq!(base().link(&Evidence::at("https://github.com/ana/cis-92/tree/main", None)), None);
        assert_eq!(
            base()
                .link(&Evidence::at("javascript:alert(1)//x", None))
                .as_deref()
                .map(|l| l.contains("javascript%3Aalert")),
            Some(true)
        );
        assert_eq!(base().link(&Evidence::at("", None)), None);
    }
}
