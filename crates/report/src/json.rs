//! The machine form of a report. Its keys are a contract with scripts and
//! the web app: every key is always present (`null` when there is nothing),
//! so readers never have to ask whether a key exists.

use m13_rules::{Evidence, Finding, Report, RuleOf};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{BatchItem, Tool};

/// One report as JSON; `label` is what the user named the source (a URL, a
/// zip file name), `tool` the program that checked it.
pub fn to_json(report: &Report, label: &str, tool: &Tool) -> Value {
    let counts = report.counts();
    json!({
        "tool": tool_json(tool),
        "source": label,
        "url": report.origin.posted_url,
        "verdict": if report.passed() { "pass" } else { "fail" },
        "counts": {
            "pass": counts.pass,
            "fail": counts.fail,
            "warn": counts.warn,
            "manual": counts.manual,
        },
        "results": report.results.iter().map(finding).collect::<Vec<_>>(),
        "names": to_value(&report.names),
        "steps": to_value(&report.steps),
        "graph": to_value(&report.graph),
        "origin": to_value(&report.origin),
    })
}

/// A class batch as a JSON array, one element per source in the given
/// order; a source that could not be read is `{"tool", "source", "error"}`.
pub fn batch_to_json(items: &[BatchItem], tool: &Tool) -> Value {
    Value::Array(
        items
            .iter()
            .map(|item| match item {
                BatchItem::Checked { label, report } => to_json(report, label, tool),
                BatchItem::Failed { label, error } => {
                    json!({ "tool": tool_json(tool), "source": label, "error": error })
                }
            })
            .collect(),
    )
}

/// `{"name", "version", "commit"}`; `commit` is `null` when the build did
/// not know it.
fn tool_json(tool: &Tool) -> Value {
    json!({ "name": tool.name, "version": tool.version, "commit": tool.commit })
}

fn finding(finding: &Finding) -> Value {
    let rule = finding.id.rule();
    json!({
        "id": finding.id,
        "title": rule.title,
        "requirement": rule.source,
        "kind": rule.kind,
        "status": finding.status.as_str(),
        "message": finding.message,
        "evidence": finding.evidence.iter().map(evidence).collect::<Vec<_>>(),
        "fix": finding.fix,
    })
}

fn evidence(evidence: &Evidence) -> Value {
    json!({
        "path": evidence.path,
        "line": evidence.line,
        "column": evidence.column,
        "found": evidence.found,
        "expected": evidence.expected,
    })
}

/// The rules crate's own serde shape for names, steps and origin: those
/// types decide their JSON spelling. They are plain structs and enums with
/// string keys, for which serialisation cannot fail; `null` is a fallback
/// that keeps the key present should that ever change.
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
