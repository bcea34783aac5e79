//! Properties of the writers that snapshots do not show at a glance: the
//! JSON contract, SARIF's structure, colour, and that repository text cannot
//! escape its place in the Markdown review.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use m13_report::{BatchItem, batch_table, batch_to_json, to_json, to_markdown, to_sarif, to_text};
use m13_rules::{Report, RuleId, Status};
use serde_json::Value;

fn reports() -> Vec<(&'static str, Report)> {
    vec![("passing.zip", common::passing()), ("failing.zip", common::failing())]
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

#[test]
fn json_has_every_key_every_time() {
    for (label, report) in reports() {
        let json = to_json(&report, label, &common::tool());
        assert_eq!(
            keys(&json),
            ["counts", "graph", "names", "origin", "results", "source", "steps", "tool", "url", "verdict"]
        );
        assert_eq!(json["source"], label);
        assert_eq!(json["url"], common::POSTED_URL);
        assert_eq!(keys(&json["counts"]), ["fail", "manual", "pass", "warn"]);
        let results = json["results"].as_array().expect("results is an array");
        assert_eq!(results.len(), RuleId::ALL.len());
        for result in results {
            assert_eq!(
                keys(result),
                ["evidence", "fix", "id", "kind", "message", "requirement", "status", "title"],
                "{result}"
            );
            assert!(Status::from_name(result["status"].as_str().unwrap_or_default()).is_some());
            assert!(matches!(result["kind"].as_str(), Some("requirement" | "deeper")));
            for evidence in result["evidence"].as_array().expect("evidence is an array") {
                assert_eq!(keys(evidence), ["column", "expected", "found", "line", "path"]);
            }
        }
    }
}

#[test]
fn json_verdict_follows_failures() {
    assert_eq!(to_json(&common::passing(), "a", &common::tool())["verdict"], "pass");
    assert_eq!(to_json(&common::failing(), "b", &common::tool())["verdict"], "fail");
}

#[test]
fn json_url_is_null_without_one() {
    let mut report = common::passing();
    report.origin.posted_url = None;
    assert_eq!(to_json(&report, "a", &common::tool())["url"], Value::Null);
}

#[test]
fn batch_json_keeps_unreadable_sources() {
    let report = common::passing();
    let items = [BatchItem::Checked { label: "a", report: &report }, BatchItem::Failed { label: "b", error: "404" }];
    let json = batch_to_json(&items, &common::tool());
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 2);
    assert_eq!(
        array[1],
        serde_json::json!({
            "tool": { "name": "milestone-check", "version": "0.2.0", "commit": "1a2b3c4d5e6f" },
            "source": "b",
            "error": "404",
        })
    );
}

/// Every output names the version and commit that produced it; a build
/// that does not know its commit says so with `null`, not a made-up one.
#[test]
fn every_output_names_the_tool() {
    let report = common::failing();
    let items = [BatchItem::Checked { label: "f", report: &report }];
    let named = "milestone-check 0.2.0 (1a2b3c4d5e6f)";
    assert!(to_markdown(&report, "f", &common::tool()).ends_with(&format!("---\n\n*Checked by {named}.*\n")));
    assert!(to_text(&report, "f", false, &common::tool()).ends_with(&format!("Checked by {named}.\n")));
    assert!(batch_table(&items, false, &common::tool()).ends_with(&format!("Checked by {named}.\n")));
    assert_eq!(
        to_json(&report, "f", &common::tool())["tool"],
        serde_json::json!({ "name": "milestone-check", "version": "0.2.0", "commit": "1a2b3c4d5e6f" })
    );
    let driver = &to_sarif(&[("f", &report)], &common::tool())["runs"][0]["tool"]["driver"];
    assert_eq!((&driver["version"], &driver["semanticVersion"]), (&"0.2.0".into(), &"0.2.0".into()));
    assert_eq!(driver["properties"]["commit"], "1a2b3c4d5e6f");

    let unknown = m13_report::Tool::new("milestone-check", "0.2.0").with_commit("unknown");
    assert_eq!(to_json(&report, "f", &unknown)["tool"]["commit"], Value::Null);
    assert!(to_markdown(&report, "f", &unknown).ends_with("*Checked by milestone-check 0.2.0.*\n"));
    let driver = &to_sarif(&[("f", &report)], &unknown)["runs"][0]["tool"]["driver"];
    assert_eq!(driver.get("properties"), None);
}

#[test]
fn sarif_structure_is_valid() {
    let reports = reports();
    let items: Vec<(&str, &Report)> = reports.iter().map(|(l, r)| (*l, r)).collect();
    let sarif = to_sarif(&items, &common::tool());
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| s.contains("sarif-2.1.0")));
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "milestone-check");
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));

    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), RuleId::ALL.len());
    for (rule, id) in rules.iter().zip(RuleId::ALL) {
        assert_eq!(rule["id"], id.as_str());
        let name = rule["name"].as_str().expect("name");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric()) && name.starts_with(char::is_uppercase), "{name}");
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()), "{id}: {key}");
        }
        assert!(rule["help"]["text"].as_str().is_some_and(|t| t.contains("## How to fix")), "{id}");
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(tags.iter().all(|t| matches!(t.as_str(), Some("requirement" | "deeper"))));
    }

    let results = run["results"].as_array().expect("results");
    let expected: usize =
        reports.iter().map(|(_, r)| r.results.iter().filter(|f| f.status != Status::Pass).count()).sum();
    assert_eq!(results.len(), expected);
    assert!(expected > 0);
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(matches!(result["level"].as_str(), Some("error" | "warning" | "note")), "{result}");
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        for location in result["locations"].as_array().expect("locations") {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().expect("every location has a uri");
            assert!(!uri.is_empty() && !uri.contains("://"), "{uri}");
            if let Some(region) = physical.get("region") {
                assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
            }
        }
    }
}

#[test]
fn sarif_levels_follow_statuses() {
    let report = common::failing();
    let sarif = to_sarif(&[("failing.zip", &report)], &common::tool());
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    for finding in report.results.iter().filter(|f| f.status != Status::Pass) {
        let result = results.iter().find(|r| r["ruleId"] == finding.id.as_str()).expect("a result per finding");
        let level = match finding.status {
            Status::Fail => "error",
            Status::Warn => "warning",
            _ => "note",
        };
        assert_eq!(result["level"], level);
    }
}

#[test]
fn sarif_puts_url_evidence_in_the_message() {
    let mut report = common::passing();
    // Make release-tag fail so its URL evidence reaches SARIF.
    if let Some(finding) = report.results.iter_mut().find(|f| f.id == RuleId::ReleaseTag) {
        finding.status = Status::Fail;
    }
    let sarif = to_sarif(&[("a", &report)], &common::tool());
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "release-tag");
    assert_eq!(result["locations"], serde_json::json!([]));
    assert!(result["message"]["text"].as_str().is_some_and(|t| t.contains(common::POSTED_URL)));
}

#[test]
fn text_is_plain_without_colour_and_coloured_with_it() {
    for (label, report) in reports() {
        assert!(!to_text(&report, label, false, &common::tool()).contains('\x1b'));
        assert!(to_text(&report, label, true, &common::tool()).contains("\x1b["));
    }
    let report = common::failing();
    let items = [BatchItem::Checked { label: "a", report: &report }];
    assert!(!batch_table(&items, false, &common::tool()).contains('\x1b'));
    assert!(batch_table(&items, true, &common::tool()).contains("\x1b["));
}

#[test]
fn text_lists_failures_before_passes() {
    let text = to_text(&common::failing(), "f", false, &common::tool());
    let text = text.split("Cluster steps").next().unwrap_or_default();
    let first_pass = text.find("\nPASS ").expect("a pass");
    let last_fail = text.rfind("\nFAIL ").expect("a failure");
    assert!(last_fail < first_pass);
}

#[test]
fn text_keeps_hostile_values_on_their_line() {
    let mut report = common::failing();
    if let Some(finding) = report.results.first_mut() {
        finding.message = "evil\n\u{1b}[2Jcleared".to_owned();
    }
    let text = to_text(&report, "f\nx", false, &common::tool());
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("evil\\n\\u{1b}[2Jcleared"));
    assert!(text.starts_with("f\\nx:"));
}

/// Repository text in the review stays text: no HTML tag, image or link
/// opens outside a code span, whatever the rules put in a message.
#[test]
fn markdown_keeps_hostile_repository_text_inert() {
    let hostile = [
        "<script>alert(1)</script>",
        "![x](http://evil)",
        "[click](http://evil)",
        "[a]: http://evil",
        "<http://evil>",
        "a | b",
        "|---|",
        "`",
        "``",
        "```",
        "x`<img src=x onerror=alert(1)>`y",
        "``<img src=x>`",
        "\\`<b>\\`",
        "line\n# heading\n<b>bold</b>",
        "x\r\n===",
        "    indented",
        "\u{1b}[31m",
    ];
    for value in hostile {
        let mut report = common::failing();
        for finding in &mut report.results {
            finding.message = format!("{value} found `{value}` and {value}");
            finding.fix = Some(format!("{value} Replace `{value}`."));
            for evidence in &mut finding.evidence {
                evidence.path = value.to_owned();
                evidence.found = Some(value.to_owned());
                evidence.expected = Some(value.to_owned());
            }
        }
        let markdown = to_markdown(&report, value, &common::tool());
        for line in markdown.lines() {
            let outside = outside_code_spans(line);
            for bad in ["<script", "<img", "<b>", "](", "\u{1b}"] {
                assert!(!outside.contains(bad), "{value:?}: {bad:?} outside a code span in {line:?}");
            }
        }
        // The requirement table keeps four columns on every row.
        for row in markdown.lines().filter(|l| l.starts_with("| ")) {
            assert_eq!(unescaped_pipes(row), 5, "{row}");
        }
    }
}

/// What CommonMark leaves outside code spans on one line: a backtick run
/// opens a span that closes at the next run of the same length; a run with
/// no partner is literal. Backslash escapes outside spans are dropped
/// together with the character they escape.
fn outside_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + run;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let other = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if other == run {
                            close = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => i = end,
                    None => i += run,
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn unescaped_pipes(row: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn markdown_review_has_its_sections() {
    let failing = to_markdown(&common::failing(), "f", &common::tool());
    for heading in
        ["## Milestone 13 review: ❌ changes needed", "### Requirements", "### What to fix", "### Cluster steps"]
    {
        assert!(failing.contains(heading), "{heading}");
    }
    let passing = to_markdown(&common::passing(), "p", &common::tool());
    assert!(passing.contains("✅ ready for the cluster test"));
    assert!(!passing.contains("### What to fix"));
    assert!(passing.contains("```sh\nminikube start\n```"));
}
