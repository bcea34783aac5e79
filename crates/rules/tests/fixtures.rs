#![cfg(not(target_arch = "wasm32"))]
//! One small release per trap students fall into (each `expected.txt` says
//! which in its first lines), under `fixtures/<case>/release/`,
//! with `fixtures/<case>/expected.txt` naming the exact status of every rule
//! (and, on a `url` line, the URL the student posted). The findings'
//! messages and evidence are snapshotted with insta: read every diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use std::path::PathBuf;

use common::read_tree;
use m13_rules::{Origin, Report, RuleId, SourceKind, Status, check};

struct Case {
    name: String,
    url: Option<String>,
    expected: Vec<(RuleId, Status)>,
    release: PathBuf,
}

fn cases() -> Vec<Case> {
    common::fixture_names()
        .into_iter()
        .map(|name| {
            let expected = common::expected(&name);
            let release = common::fixtures_dir().join(&name).join("release");
            Case { url: expected.url, expected: expected.statuses, release, name }
        })
        .collect()
}

fn run(case: &Case) -> Report {
    let snapshot = read_tree(&case.release);
    let mut origin = Origin::new(SourceKind::Directory { path: case.name.clone() });
    if let Some(url) = &case.url {
        origin = origin.posted_url(url);
    }
    check(&snapshot, &origin)
}

/// The fixture every other one is a variation of: their snapshots hold only
/// what differs from it, so one wording change touches one or two files,
/// not fifty.
const BASELINE: &str = "sp24-pass";

/// A stable text form of a report's findings for snapshots: in full for
/// the baseline; for any other fixture, the findings and steps that differ
/// from the baseline's, and the ids of those that do not.
fn render(report: &Report, baseline: Option<&Report>) -> String {
    let mut out = String::new();
    let same: Vec<&str> = report
        .results
        .iter()
        .filter(|f| baseline.and_then(|b| b.finding(f.id)) == Some(*f))
        .map(|f| f.id.as_str())
        .collect();
    if !same.is_empty() {
        out.push_str(&format!("as in {BASELINE}: {}\n", same.join(", ")));
    }
    for finding in report.results.iter().filter(|f| !same.contains(&f.id.as_str())) {
        out.push_str(&format!("{} {}: {}\n", finding.status, finding.id, finding.message));
        for e in &finding.evidence {
            out.push_str(&format!("    at {}", e.location()));
            if let Some(found) = &e.found {
                out.push_str(&format!(" found `{found}`"));
            }
            if let Some(expected) = &e.expected {
                out.push_str(&format!(" expected `{expected}`"));
            }
            out.push('\n');
        }
        if let Some(fix) = &finding.fix {
            out.push_str(&format!("    fix: {fix}\n"));
        }
    }
    if baseline.is_some_and(|b| b.steps == report.steps) {
        out.push_str(&format!("steps: as in {BASELINE}\n"));
        return out;
    }
    out.push_str("steps:\n");
    for step in &report.steps {
        for command in &step.commands {
            out.push_str(&format!("    $ {command}\n"));
        }
        for note in &step.notes {
            out.push_str(&format!("    note: {note}\n"));
        }
    }
    out
}

#[test]
fn every_fixture_gets_exactly_the_expected_status_for_every_rule() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for case in &cases {
        let listed: Vec<RuleId> = case.expected.iter().map(|(id, _)| *id).collect();
        for id in RuleId::ALL {
            if !listed.contains(id) {
                failures.push(format!("{}: expected.txt does not list `{id}`", case.name));
            }
        }
        let report = run(case);
        for (id, status) in &case.expected {
            let finding = report.finding(*id).expect("every rule reports");
            if finding.status != *status {
                failures.push(format!(
                    "{}: {id} is {} (expected {status}): {}",
                    case.name, finding.status, finding.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn findings_snapshot() {
    let cases = cases();
    let baseline = cases.iter().find(|c| c.name == BASELINE).map(run);
    assert!(baseline.is_some(), "no {BASELINE} fixture");
    // Every fixture is compared before failing: one change's whole reach is seen at once.
    let mut differ = Vec::new();
    for case in &cases {
        let report = run(case);
        let against = if case.name == BASELINE { None } else { baseline.as_ref() };
        let rendered = render(&report, against);
        let compared = std::panic::catch_unwind(|| {
            insta::with_settings!({ snapshot_suffix => case.name.clone(), prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("findings", rendered);
            });
        });
        if compared.is_err() {
            differ.push(case.name.clone());
        }
    }
    assert!(differ.is_empty(), "{} snapshots differ (read each diff above): {}", differ.len(), differ.join(", "));
}

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let cases = cases();
    for id in RuleId::ALL {
        let statuses: Vec<Status> =
            cases.iter().flat_map(|c| c.expected.iter().filter(|(i, _)| i == id).map(|(_, s)| *s)).collect();
        // These only ever warn: other names, local files and an image's old
        // name are not failures.
        let never_fails = matches!(id, RuleId::ProcedureNames | RuleId::CommittedArtifacts | RuleId::ImageMilestone);
        assert!(statuses.contains(&Status::Pass), "no fixture where `{id}` passes");
        if never_fails {
            assert!(statuses.contains(&Status::Warn), "no fixture where `{id}` warns");
        } else {
            assert!(statuses.contains(&Status::Fail), "no fixture where `{id}` fails");
        }
    }
}

/// The web app's checker runs in a worker and sends the findings, the
/// cluster steps and the graph to the page as JSON: what the page reads back
/// must be what the rules said, on every fixture.
#[test]
fn findings_steps_and_graph_read_back_from_json_unchanged() {
    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        value: &T,
        what: &str,
    ) {
        let json = serde_json::to_string(value).unwrap_or_else(|e| panic!("{what}: {e}"));
        let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{what}: {e}\n{json}"));
        assert_eq!(&back, value, "{what}");
    }
    for case in cases() {
        let report = run(&case);
        round_trip(&report.results, &format!("{}: findings", case.name));
        round_trip(&report.steps, &format!("{}: steps", case.name));
        round_trip(&report.graph, &format!("{}: graph", case.name));
    }
}
