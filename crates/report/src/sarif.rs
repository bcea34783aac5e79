//! SARIF 2.1.0, the format code-scanning tools read (GitHub code scanning,
//! editors' SARIF viewers). One run for a whole batch: the rules table is
//! the registry, and every finding that is not a pass is a result. Passes
//! are left out: SARIF results are things to look at.

use m13_rules::{Evidence, Finding, Kind, Report, RuleId, RuleOf, Status};
use serde_json::{Map, Value, json};

use crate::Tool;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/cis-92/milestone-check";

/// Every report of `items` (label, report) in one SARIF log. Each result
/// names its source in `properties.source`, since a class batch mixes
/// files of different releases under the same relative paths. `tool` is
/// the driver: its version, and the commit in the driver's properties.
pub fn to_sarif(items: &[(&str, &Report)], tool: &Tool) -> Value {
    let rules: Vec<Value> = RuleId::ALL.iter().map(|&id| rule(id)).collect();
    let results: Vec<Value> = items
        .iter()
        .flat_map(|(label, report)| {
            report.results.iter().filter(|f| f.status != Status::Pass).map(move |f| result(label, f))
        })
        .collect();
    let mut driver = Map::new();
    driver.insert("name".to_owned(), json!(tool.name));
    driver.insert("informationUri".to_owned(), json!(INFORMATION_URI));
    driver.insert("version".to_owned(), json!(tool.version));
    driver.insert("semanticVersion".to_owned(), json!(tool.version));
    if let Some(commit) = &tool.commit {
        driver.insert("properties".to_owned(), json!({ "commit": commit }));
    }
    driver.insert("rules".to_owned(), Value::Array(rules));
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": Value::Object(driver) },
            "results": results,
        }]
    })
}

/// A `reportingDescriptor` from the registry: the id never changes, the
/// name is the id in PascalCase (SARIF wants an identifier-like name; the
/// title would change the name whenever it is reworded).
fn rule(id: RuleId) -> Value {
    let rule = id.rule();
    let explanation = rule.explanation();
    let kind = match rule.kind {
        Kind::Requirement => "requirement",
        Kind::Deeper => "deeper",
    };
    json!({
        "id": id.as_str(),
        "name": pascal_case(id.as_str()),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": what_it_checks(&explanation).unwrap_or_else(|| rule.title.to_owned()) },
        "help": { "text": explanation, "markdown": explanation },
        "properties": { "tags": [kind], "requirement": rule.source },
    })
}

fn result(label: &str, finding: &Finding) -> Value {
    let level = match finding.status {
        Status::Fail => "error",
        Status::Warn => "warning",
        Status::Manual | Status::Pass => "note",
    };
    let (urls, files): (Vec<&Evidence>, Vec<&Evidence>) = finding.evidence.iter().partition(|e| is_url(&e.path));
    let mut text = finding.message.clone();
    // A URL is not an artifact in the release: name it in the message.
    for evidence in urls {
        text.push_str(&format!(
            "\nAt {}{}",
            evidence.path,
            found_expected(evidence).map(|s| format!(": {s}")).unwrap_or_default()
        ));
    }
    if let Some(fix) = &finding.fix {
        text.push_str(&format!("\nFix: {fix}"));
    }
    let index = RuleId::ALL.iter().position(|&id| id == finding.id);
    json!({
        "ruleId": finding.id.as_str(),
        "ruleIndex": index,
        "level": level,
        "message": { "text": text },
        "locations": files.into_iter().map(location).collect::<Vec<_>>(),
        "properties": { "source": label, "status": finding.status.as_str() },
    })
}

fn location(evidence: &Evidence) -> Value {
    let mut physical = Map::new();
    physical.insert("artifactLocation".to_owned(), json!({ "uri": uri(&evidence.path) }));
    // SARIF lines start at 1; a line 0 would be invalid, so it is dropped.
    if let Some(line) = evidence.line.filter(|&l| l >= 1) {
        let region = match evidence.column.filter(|&c| c >= 1) {
            Some(column) => json!({ "startLine": line, "startColumn": column }),
            None => json!({ "startLine": line }),
        };
        physical.insert("region".to_owned(), region);
    }
    let mut location = Map::new();
    location.insert("physicalLocation".to_owned(), Value::Object(physical));
    if let Some(text) = found_expected(evidence) {
        location.insert("message".to_owned(), json!({ "text": text }));
    }
    Value::Object(location)
}

/// `found: …; expected: …`, or `None` when the evidence has neither.
fn found_expected(evidence: &Evidence) -> Option<String> {
    let parts: Vec<String> = [("found", &evidence.found), ("expected", &evidence.expected)]
        .into_iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}: {v}")))
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn is_url(path: &str) -> bool {
    path.contains("://")
}

/// A release path as a relative URI reference: every byte outside the
/// unreserved set and `/` is percent-encoded, so spaces, `#`, `?` or a `:`
/// in a student's file name cannot change what the URI means.
fn uri(path: &str) -> String {
    // The path set of `m13_rules::url`: unreserved bytes and `/` only.
    m13_rules::url::encode_path(path)
}

/// `cpu-request-range` -> `CpuRequestRange`.
fn pascal_case(id: &str) -> String {
    id.split('-').map(m13_rules::finding::capitalise).collect()
}

/// The *What it checks* section of a rule's explanation, as one paragraph.
fn what_it_checks(explanation: &str) -> Option<String> {
    let lines = explanation.lines().skip_while(|l| l.trim() != "## What it checks").skip(1);
    let text: Vec<&str> =
        lines.take_while(|l| !l.starts_with("## ")).map(str::trim).filter(|l| !l.is_empty()).collect();
    (!text.is_empty()).then(|| text.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_of_ids() {
        assert_eq!(pascal_case("cpu-request-range"), "CpuRequestRange");
        assert_eq!(pascal_case("release-tag"), "ReleaseTag");
    }

    #[test]
    fn uri_encodes_what_is_not_a_plain_path() {
        assert_eq!(uri("deployment/secret.yaml"), "deployment/secret.yaml");
        assert_eq!(uri("deployment/my file#1.yaml"), "deployment/my%20file%231.yaml");
        assert_eq!(uri("c:x/ü"), "c%3Ax/%C3%BC");
        // A `%` is encoded too, so `%+a` or `%41` in a file name stays literal.
        assert_eq!(uri("a/%+a %41.yaml"), "a/%25%2Ba%20%2541.yaml");
    }

    #[test]
    fn urls_are_not_locations() {
        assert!(is_url("https://github.com/ana/cis-92/releases/tag/milestone-13.1"));
        assert!(!is_url("deployment/service.yaml"));
    }

    #[test]
    fn what_it_checks_is_the_first_section() {
        let doc = "## What it checks\nThe first\nparagraph.\n\n## Why it matters\nOther.";
        assert_eq!(what_it_checks(doc).as_deref(), Some("The first paragraph."));
        assert_eq!(what_it_checks("no headings"), None);
    }
}
