#![cfg(not(target_arch = "wasm32"))]
//! One small release per trap students fall into (each `expected.txt` says
//! which in its first lines), under `fixtures/<case>/release/`,
//! with `fixtures/<case>/expected.txt` naming the exact status of every rule
//! (and, on a `url` line, the URL the student posted; on an `about` line,
//! the rules the trap is about). The findings' messages and evidence are
//! snapshotted with insta, the cluster steps apart: read every diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::read_tree;
use m13_rules::procedure::Step;
use m13_rules::{Finding, Origin, Report, RuleId, SourceKind, Status, check};

struct Case {
    name: String,
    /// The rules the fixture's trap is about (`about` in `expected.txt`).
    about: Vec<RuleId>,
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
            Case { about: expected.about, url: expected.url, expected: expected.statuses, release, name }
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

/// The fixture every other one is a variation of: its snapshots hold every
/// finding and every step in full, so each passing message is pinned once.
const BASELINE: &str = "sp24-pass";

fn render_finding(out: &mut String, finding: &Finding) {
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

/// A stable text form of a report's findings for snapshots: every finding
/// for the baseline; for any other fixture, the findings that do not pass
/// and those of the rules it is about. A passing message that names this
/// release's files is not repeated in fifty snapshots, so a wording change
/// touches the fixtures it concerns.
fn render_findings(case: &Case, report: &Report) -> String {
    let mut out = String::new();
    if case.name != BASELINE {
        let about: Vec<&str> = case.about.iter().map(|id| id.as_str()).collect();
        out.push_str(&format!("about: {}\n", about.join(", ")));
    }
    let shown = |f: &&Finding| case.name == BASELINE || f.status != Status::Pass || case.about.contains(&f.id);
    for finding in report.results.iter().filter(shown) {
        render_finding(&mut out, finding);
    }
    out
}

/// The names the steps use, one per line (as JSON values), and the steps:
/// in full for the baseline; for another fixture, the names and the steps
/// that differ from the baseline's.
fn render_steps(report: &Report, baseline: Option<&Report>) -> String {
    let mut out = String::new();
    let names = serde_json::to_value(&report.names).expect("names serialize");
    let baseline_names = baseline.map(|b| serde_json::to_value(&b.names).expect("names serialize"));
    for (key, value) in names.as_object().into_iter().flatten() {
        if baseline_names.as_ref().and_then(|b| b.get(key)) != Some(value) {
            out.push_str(&format!("name {key}: {value}\n"));
        }
    }
    for step in &report.steps {
        let same = baseline.and_then(|b| b.steps.iter().find(|s| s.id == step.id)) == Some(step);
        if same {
            out.push_str(&format!("step {} {}: as in {BASELINE}\n", step.page_step, step.id));
            continue;
        }
        out.push_str(&format!("step {} {}: {}\n", step.page_step, step.id, step.title));
        for command in &step.commands {
            out.push_str(&format!("    $ {command}\n"));
        }
        out.push_str(&format!("    look for: {}\n", step.look_for));
        for note in &step.notes {
            out.push_str(&format!("    note: {note}\n"));
        }
    }
    out
}

/// Whether a fixture's cluster steps need a snapshot of their own: its
/// names or steps differ from the baseline's in more than who the student
/// is. Most fixtures are another student's release, whose name and site
/// appear only in step 10; the baseline's snapshot covers that wording.
fn steps_differ(report: &Report, baseline: &Report) -> bool {
    let (ours, theirs) = (&report.names, &baseline.names);
    let mut names = ours.clone();
    names.student_name.clone_from(&theirs.student_name);
    names.site_name.clone_from(&theirs.site_name);
    if names != *theirs {
        return true;
    }
    let pairs: Vec<(&str, &str)> = [(&ours.student_name, &theirs.student_name), (&ours.site_name, &theirs.site_name)]
        .into_iter()
        .filter_map(|(a, b)| Some((a.as_deref()?, b.as_deref()?)))
        .collect();
    let swap = |text: &str| pairs.iter().fold(text.to_owned(), |text, (a, b)| text.replace(a, b));
    let steps: Vec<Step> = report
        .steps
        .iter()
        .map(|step| Step {
            title: swap(&step.title),
            commands: step.commands.iter().map(|c| swap(c)).collect(),
            look_for: swap(&step.look_for),
            notes: step.notes.iter().map(|n| swap(n)).collect(),
            ..step.clone()
        })
        .collect();
    steps != baseline.steps
}

/// Compares `rendered` with `snapshots/{kind}@{name}.snap`, reporting a
/// mismatch (insta prints its diff) instead of stopping: every fixture is
/// compared before the test fails, so one change's whole reach is seen.
fn compare(kind: &str, name: &str, rendered: &str) -> Result<(), String> {
    std::panic::catch_unwind(|| {
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(kind, rendered);
        });
    })
    .map_err(|_| name.to_owned())
}

/// The `{kind}@*.snap` files in `snapshots/`, by fixture name.
fn snapshot_files(kind: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    std::fs::read_dir(&dir)
        .expect("snapshots dir")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter_map(|f| f.strip_prefix(&format!("{kind}@"))?.strip_suffix(".snap").map(str::to_owned))
        .collect()
}

/// Fails with every snapshot that differs and every one no fixture
/// produces, in one message.
fn report(differ: &[String], stale: &[String]) {
    let mut problems = Vec::new();
    if !differ.is_empty() {
        problems.push(format!("{} snapshots differ (read each diff above): {}", differ.len(), differ.join(", ")));
    }
    if !stale.is_empty() {
        problems.push(format!("snapshots no fixture produces any more (delete them): {}", stale.join(", ")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Snapshots no test compares any more, which insta would never report.
fn stale(kind: &str, compared: &BTreeSet<String>) -> Vec<String> {
    snapshot_files(kind).difference(compared).map(|name| format!("tests/snapshots/{kind}@{name}.snap")).collect()
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
        if case.name != BASELINE && case.about.is_empty() {
            failures.push(format!("{}: expected.txt names no rule the trap is about (`about ID...`)", case.name));
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
    assert!(cases.iter().any(|c| c.name == BASELINE), "no {BASELINE} fixture");
    let differ: Vec<String> = cases
        .iter()
        .filter_map(|case| compare("findings", &case.name, &render_findings(case, &run(case))).err())
        .collect();
    let compared: BTreeSet<String> = cases.iter().map(|c| c.name.clone()).collect();
    report(&differ, &stale("findings", &compared));
}

/// The cluster steps with this release's names: the baseline's in full, and
/// each fixture whose names or steps differ from it.
#[test]
fn cluster_steps_snapshot() {
    let cases = cases();
    let baseline = cases.iter().find(|c| c.name == BASELINE).map(run).expect("the baseline fixture");
    let mut compared = BTreeSet::new();
    let mut differ = Vec::new();
    for case in &cases {
        let report = run(case);
        let rendered = if case.name == BASELINE {
            render_steps(&report, None)
        } else if steps_differ(&report, &baseline) {
            render_steps(&report, Some(&baseline))
        } else {
            continue;
        };
        compared.insert(case.name.clone());
        differ.extend(compare("steps", &case.name, &rendered).err());
    }
    report(&differ, &stale("steps", &compared));
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
